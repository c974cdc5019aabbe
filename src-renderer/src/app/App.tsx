import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import {
  ActionIcon,
  AppShell,
  Badge,
  Burger,
  Group,
  Kbd,
  MantineProvider,
  NavLink,
  Text,
  Title,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { Client } from '../api/client.ts';
import { ClientContext, useLinkState } from '../api/hooks.ts';
import { theme } from './theme.ts';
import { useRoute } from './useRoute.ts';
import { pages, type PageId, type Route } from './routes.ts';
import { isTypingTarget, opensShortcutList } from './shortcuts.ts';
import { HelpOverlay } from './HelpOverlay.tsx';
import { StationGate, useDeviceRole } from './PairingScreen.tsx';
import { ScreenBoundary } from './ScreenBoundary.tsx';
import { useDeviceState } from '../offline/device-transport.ts';
import { Loading } from '../components/states.tsx';
import { IconKeyboard, IconMoon, IconRefresh, IconSettings, IconSun, IconTable, IconTicket, IconTrophy, IconUserPlus } from '../components/icons.tsx';
import { PickupPage } from '../pages/pickup/PickupPage.tsx';
import { WalkUpPage } from '../pages/pickup/WalkUpPage.tsx';
import { BrowsePage } from '../pages/browse/BrowsePage.tsx';
import { SyncPage } from '../pages/sync/SyncPage.tsx';
import { SettingsPage } from '../pages/settings/SettingsPage.tsx';

// The results page (the results engineer's) loads on first visit: its import dialog and tables stay out of the pickup bundle.
const ResultsPage = lazy(() => import('../pages/results/ResultsPage.tsx'));

const navigation: Array<{ page: PageId; label: string; icon: ReactNode; hint: string }> = [
  { page: 'pickup', label: 'Pickup', icon: <IconTicket />, hint: 'Find a runner, check in, change bib' },
  { page: 'walkup', label: 'Walk-up', icon: <IconUserPlus />, hint: 'Register a runner on the day' },
  { page: 'browse', label: 'Browse', icon: <IconTable />, hint: 'All participants, events and results' },
  { page: 'results', label: 'Results', icon: <IconTrophy />, hint: "The crew's timing results" },
  { page: 'sync', label: 'Sync', icon: <IconRefresh />, hint: 'Providers, queue, hub' },
  { page: 'settings', label: 'Settings', icon: <IconSettings />, hint: 'Accounts, hub, station' },
];

export function App({ client }: { client: Client }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <ClientContext.Provider value={client}>
        <StationGate>
          <Shell />
        </StationGate>
      </ClientContext.Provider>
    </MantineProvider>
  );
}

/** What a check-in table (a venue device) may open; the other screens are for admins. */
const venuePages = new Set<PageId>(['pickup', 'walkup']);

function Shell() {
  const role = useDeviceRole();
  const [route, navigate] = useRoute();
  const [helpOpen, setHelpOpen] = useState(false);
  // Below `sm` the menu is a drawer over the screen: closed unless asked for, closed again on every move.
  const [menuOpen, menu] = useDisclosure(false);
  const closeMenu = menu.close;
  useEffect(() => closeMenu(), [route.page, route.sub, closeMenu]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && /^[1-6]$/.test(event.key)) {
        event.preventDefault();
        navigate({ page: pages[Number(event.key) - 1], sub: null });
        return;
      }
      if (opensShortcutList(event, event.target)) {
        event.preventDefault();
        setHelpOpen((open) => !open);
        return;
      }
      if (isTypingTarget(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search-box]');
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !menuOpen } }} padding={{ base: 'xs', sm: 'md' }}>
      <AppShell.Header>
        <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={menuOpen} onClick={menu.toggle} hiddenFrom="sm" size="sm" aria-label={menuOpen ? 'Close the menu' : 'Open the menu'} data-testid="nav-burger" />
            <Title order={3} fw={800} style={{ letterSpacing: '-0.02em' }}>
              RaceDesk
            </Title>
            <LinkBadge />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Tooltip label="Keyboard shortcuts (?)">
              <ActionIcon variant="default" size="lg" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts" visibleFrom="sm">
                <IconKeyboard />
              </ActionIcon>
            </Tooltip>
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" data-testid="nav">
        <AppShell.Section grow>
          {navigation.filter((item) => role === 'admin' || venuePages.has(item.page)).map((item, index) => (
            <NavLink
              key={item.page}
              href={`#/${item.page}`}
              label={item.label}
              title={item.hint}
              leftSection={item.icon}
              rightSection={<Kbd size="xs">Alt {index + 1}</Kbd>}
              active={route.page === item.page}
              variant="light"
              data-nav={item.page}
              onClick={menu.close}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            Press <Kbd size="xs">?</Kbd> for shortcuts
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <ScreenBoundary key={`${route.page}/${route.sub ?? ''}`} screen={screenName(route.page)} onHome={() => navigate({ page: 'pickup', sub: null })}>
          <PageFor route={route} navigate={navigate} />
        </ScreenBoundary>
      </AppShell.Main>
      <HelpOverlay opened={helpOpen} onClose={() => setHelpOpen(false)} />
    </AppShell>
  );
}

function screenName(page: PageId): string {
  return navigation.find((item) => item.page === page)?.label ?? page;
}

function PageFor({ route, navigate }: { route: Route; navigate: (route: Route) => void }) {
  switch (route.page) {
    case 'pickup':
      return <PickupPage onWalkUp={() => navigate({ page: 'walkup', sub: null })} />;
    case 'walkup':
      return <WalkUpPage onDone={() => navigate({ page: 'pickup', sub: null })} />;
    case 'browse':
      return <BrowsePage tab={route.sub} onTab={(sub) => navigate({ page: 'browse', sub })} />;
    case 'results':
      return (
        <Suspense fallback={<Loading label="Opening results" />}>
          <ResultsPage />
        </Suspense>
      );
    case 'sync':
      return <SyncPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

function LinkBadge() {
  const stream = useLinkState();
  const device = useDeviceState();
  // A joined device's calls tell first that its station stopped answering; it also says what it still has to send.
  const link = device?.link === 'unreachable' ? 'offline' : stream;
  const queued = device?.queued ? ` · ${device.queued} queued` : '';
  const label = { online: 'Connected', connecting: 'Connecting…', offline: device ? 'Offline' : 'Station offline' }[link] + queued;
  const color = { online: 'teal', connecting: 'yellow', offline: 'red' }[link];
  return (
    <Badge color={color} variant="dot" size="lg" data-testid="link-state">
      {label}
    </Badge>
  );
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} mode`}>
      <ActionIcon variant="default" size="lg" onClick={() => setColorScheme(next)} aria-label={`Switch to ${next} mode`} data-testid="color-scheme-toggle">
        {computed === 'dark' ? <IconSun /> : <IconMoon />}
      </ActionIcon>
    </Tooltip>
  );
}
