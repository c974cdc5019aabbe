import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Badge, Box, Button, CloseButton, Group, Kbd, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient, useCoreEvent, useQuery } from '../../api/hooks.ts';
import { Empty, ErrorNote, Loading } from '../../components/states.tsx';
import { IconCheck, IconSearch, IconUserPlus } from '../../components/icons.tsx';
import { CountersStrip } from './Counters.tsx';
import { ParticipantCard } from './ParticipantCard.tsx';
import { ChangeBibDialog } from './ChangeBibDialog.tsx';
import { pickupKeyAction, type PickupAction, type PickupKeyContext } from './keyboard.ts';
import { isTypingTarget } from '../../app/shortcuts.ts';
import { eventKey, fullName, providerLabel, runnerRef, shortTime, truthy, type ProviderName } from './format.ts';

type Ref = { provider: ProviderName; participantId: string };
type SearchRow = Output<'lookup.search'>[number];

interface Notice {
  color: 'teal' | 'yellow' | 'red' | 'blue';
  text: string;
  undo?: boolean;
}

const sameRunner = (a: Ref | null, b: { provider: string; participantId: string } | null) =>
  a !== null && b !== null && a.provider === b.provider && a.participantId === b.participantId;

export function PickupPage({ onWalkUp }: { onWalkUp(): void }) {
  const client = useClient();
  const searchRef = useRef<HTMLInputElement>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');
  const [activeIndex, setActiveIndex] = useState(0);
  const [picked, setPicked] = useState<{ ref: Ref; query: string } | null>(null);
  const [lastCheckIn, setLastCheckIn] = useState<{ ref: Ref; name: string; query: string } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [bibDialog, setBibDialog] = useState(false);

  const trimmed = query.trim();
  const search = useQuery('lookup.search', { query: trimmed, limit: 30 }, { enabled: trimmed.length > 0, refreshOn: ['participants'] });
  const results: SearchRow[] = trimmed ? (search.data ?? []) : [];
  const counters = useQuery('pickup.counters', {}, { refreshOn: ['participants'] });
  const detail = useQuery('pickup.participant', picked?.ref ?? { provider: 'runsignup', participantId: '-' }, { enabled: picked !== null });

  const eventNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const event of counters.data?.events ?? []) names.set(eventKey(event.provider, event.eventId), event.eventName ?? event.eventId);
    return names;
  }, [counters.data]);

  // Another station checked someone in: counters move, and the open card re-reads if it is theirs.
  useCoreEvent('pickup.changed', (change) => {
    counters.reload();
    if (trimmed) search.reload();
    if (sameRunner(picked?.ref ?? null, change)) detail.reload();
  });

  useEffect(() => setActiveIndex(0), [trimmed]);
  useEffect(() => searchRef.current?.focus(), []);
  useEffect(() => {
    document.querySelector(`[data-result-index="${activeIndex}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  const focusSearch = useCallback((replaceWith?: string) => {
    if (replaceWith !== undefined) setQuery(replaceWith);
    requestAnimationFrame(() => {
      const input = searchRef.current;
      if (!input) return;
      input.focus();
      if (replaceWith === undefined) input.select();
    });
  }, []);

  // A freshly picked runner's card takes the focus as soon as it is on screen, so B, Enter and Ctrl+Z work at once.
  const focusCardWhenLoaded = useRef(false);
  const pick = useCallback((row: SearchRow) => {
    setPicked({ ref: runnerRef(row), query: trimmed });
    setNotice(null);
    focusCardWhenLoaded.current = true;
  }, [trimmed]);
  useEffect(() => {
    if (focusCardWhenLoaded.current && detail.data && picked && sameRunner(picked.ref, runnerRef(detail.data.participant))) {
      focusCardWhenLoaded.current = false;
      cardRef.current?.focus({ preventScroll: true });
    }
  }, [detail.data, picked]);

  const checkIn = useCallback(async () => {
    const data = detail.data;
    if (!picked || !data || busy) return;
    if (!sameRunner(picked.ref, runnerRef(data.participant))) return;
    setBusy(true);
    try {
      const result = await client.call('pickup.checkIn', picked.ref);
      const name = fullName(data.participant.first_name, data.participant.last_name);
      if (result.alreadyCheckedIn) {
        setNotice({ color: 'yellow', text: `${name} was already checked in at ${shortTime(result.at)} by ${result.by}. Nothing changed.` });
      } else {
        setLastCheckIn({ ref: picked.ref, name, query: trimmed });
        setNotice({ color: 'teal', text: `${name} is checked in with bib ${data.participant.bib_number ?? '—'}.`, undo: true });
      }
      detail.reload();
      counters.reload();
      focusSearch();
    } catch (failure) {
      setNotice({ color: 'red', text: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  }, [client, picked, detail, busy, counters, trimmed, focusSearch]);

  const undo = useCallback(async () => {
    const target = lastCheckIn?.ref ?? (detail.data?.participant.checked_in ? runnerRef(detail.data.participant) : null);
    if (!target || busy) return;
    setBusy(true);
    try {
      await client.call('pickup.undoCheckIn', target);
      const name = lastCheckIn && sameRunner(lastCheckIn.ref, target) ? lastCheckIn.name : fullName(detail.data?.participant.first_name, detail.data?.participant.last_name);
      setNotice({ color: 'blue', text: `Check-in of ${name} undone.` });
      setLastCheckIn(null);
      if (sameRunner(picked?.ref ?? null, target)) detail.reload();
      counters.reload();
    } catch (failure) {
      setNotice({ color: 'red', text: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  }, [client, lastCheckIn, detail, busy, picked, counters]);

  function run(action: PickupAction) {
    switch (action.type) {
      case 'move':
        setActiveIndex(action.index);
        return;
      case 'pick':
        if (results[action.index]) pick(results[action.index]);
        return;
      case 'checkIn':
        void checkIn();
        return;
      case 'undo':
        void undo();
        return;
      case 'changeBib':
        if (detail.data) setBibDialog(true);
        return;
      case 'walkUp':
        onWalkUp();
        return;
      case 'clear':
        setQuery('');
        setPicked(null);
        setNotice(null);
        return;
      case 'focusSearch':
        focusSearch();
        return;
      case 'startSearch':
        focusSearch(action.text);
        return;
    }
  }

  function onKeyDown(focus: PickupKeyContext['focus']) {
    return (event: KeyboardEvent<HTMLElement>) => {
      if (bibDialog) return;
      const action = pickupKeyAction(event, {
        focus,
        resultCount: results.length,
        activeIndex,
        hasPicked: detail.data !== undefined && picked !== null,
        pickedFromCurrentQuery: picked !== null && picked.query === trimmed && detail.data !== undefined,
        canUndo: lastCheckIn !== null && lastCheckIn.query === trimmed,
      });
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      run(action);
    };
  }

  const keyContextRef = useRef<(focus: PickupKeyContext['focus']) => (event: KeyboardEvent<HTMLElement>) => void>(onKeyDown);
  keyContextRef.current = onKeyDown;
  useEffect(() => {
    const onWindowKey = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target) || document.querySelector('[role="dialog"]')) return;
      if (cardRef.current?.contains(event.target as Node)) return;
      keyContextRef.current('elsewhere')(event as unknown as KeyboardEvent<HTMLElement>);
    };
    window.addEventListener('keydown', onWindowKey);
    return () => window.removeEventListener('keydown', onWindowKey);
  }, []);

  const noData = counters.data !== undefined && counters.data.total.registered === 0;

  return (
    <Stack gap="md">
      {counters.data ? <CountersStrip counters={counters.data} /> : counters.error ? <ErrorNote error={counters.error} what="Counters" /> : null}
      {/* app.css .rd-pickup-layout: search | card beside results on a laptop; search, card, results stacked on a phone. */}
      <div className="rd-pickup-layout">
        <Stack gap="sm" className="rd-pickup-search">
            <TextInput
              ref={searchRef}
              size="xl"
              radius="lg"
              placeholder="Name or bib number"
              aria-label="Search runners by name or bib"
              leftSection={<IconSearch size={24} />}
              rightSection={query ? <CloseButton aria-label="Clear search" onClick={() => run({ type: 'clear' })} /> : <Kbd>/</Kbd>}
              value={query}
              onChange={(event) => setQuery(event.currentTarget.value)}
              onKeyDown={onKeyDown('search')}
              data-search-box
              data-testid="pickup-search"
              autoComplete="off"
              spellCheck={false}
            />
            {notice ? (
              <Alert
                color={notice.color}
                variant="light"
                withCloseButton
                onClose={() => setNotice(null)}
                icon={notice.color === 'teal' ? <IconCheck /> : undefined}
                data-testid="pickup-notice"
              >
                <Group justify="space-between" gap="xs">
                  <Text size="md">{notice.text}</Text>
                  {notice.undo && lastCheckIn ? (
                    <Button size="xs" variant="white" color="teal" onClick={() => void undo()} data-testid="notice-undo">
                      Undo (Ctrl+Z)
                    </Button>
                  ) : null}
                </Group>
              </Alert>
            ) : null}
        </Stack>
        <Stack gap="sm" className="rd-pickup-results">
            <ResultList
              query={trimmed}
              rows={results}
              loading={search.loading && results.length === 0}
              activeIndex={activeIndex}
              pickedRef={picked?.ref ?? null}
              eventNames={eventNames}
              onPick={pick}
              onWalkUp={onWalkUp}
              noData={noData}
            />
            {search.error ? <ErrorNote error={search.error} what="Search" onRetry={search.reload} /> : null}
        </Stack>
        <div className="rd-pickup-card">
          {picked === null ? (
            // On a phone the hint gives way to the matches once a search is typed (they come right below).
            <Paper withBorder radius="lg" p="xl" visibleFrom={trimmed ? 'md' : undefined}>
              <Empty
                title="Find a runner"
                description={
                  <>
                    Type part of a name (accents not needed) or a bib number, then <Kbd>↓</Kbd> <Kbd>↑</Kbd> and <Kbd>Enter</Kbd> to pick.
                    <br />
                    <Kbd>Enter</Kbd> again checks them in; <Kbd>Ctrl</Kbd>+<Kbd>Z</Kbd> undoes it.
                  </>
                }
                icon={<IconSearch size={28} />}
              />
            </Paper>
          ) : detail.error ? (
            <ErrorNote error={detail.error} what="Runner" onRetry={detail.reload} />
          ) : detail.data ? (
            <ParticipantCard
              ref={cardRef}
              detail={detail.data}
              busy={busy}
              onCheckIn={() => void checkIn()}
              onUndo={() => void undo()}
              onChangeBib={() => setBibDialog(true)}
              onKeyDown={onKeyDown('card')}
            />
          ) : (
            <Loading label="Opening runner" />
          )}
        </div>
      </div>
      {detail.data ? (
        <ChangeBibDialog
          participant={detail.data.participant}
          opened={bibDialog}
          onClose={() => {
            setBibDialog(false);
            requestAnimationFrame(() => cardRef.current?.focus({ preventScroll: true }));
          }}
          onChanged={(change) => {
            setBibDialog(false);
            setNotice({ color: 'teal', text: `Bib changed from ${change.oldBib ?? '—'} to ${change.newBib}.` });
            detail.reload();
            if (trimmed) search.reload();
            requestAnimationFrame(() => cardRef.current?.focus({ preventScroll: true }));
          }}
        />
      ) : null}
    </Stack>
  );
}

function ResultList(props: {
  query: string;
  rows: SearchRow[];
  loading: boolean;
  activeIndex: number;
  pickedRef: Ref | null;
  eventNames: Map<string, string>;
  onPick(row: SearchRow): void;
  onWalkUp(): void;
  noData: boolean;
}) {
  if (!props.query) {
    return props.noData ? (
      <Empty
        title="No participants on this station yet"
        description="Add a provider account in Settings and sync its events, or register walk-ups."
        action={
          <Button variant="light" component="a" href="#/sync">
            Go to Sync
          </Button>
        }
      />
    ) : null;
  }
  if (props.loading) return <Loading />;
  if (props.rows.length === 0) {
    return (
      <Empty
        title={`No runner matches “${props.query}”`}
        description="Try the last name only, or the bib number. Not registered? Sign them up as a walk-up."
        action={
          <Button leftSection={<IconUserPlus />} variant="light" onClick={props.onWalkUp}>
            New walk-up <Kbd ml="xs">N</Kbd>
          </Button>
        }
      />
    );
  }
  return (
    <Box mah="calc(100vh - 330px)" style={{ overflowY: 'auto' }}>
      <Stack gap={4} role="listbox" aria-label="Matching runners" data-testid="pickup-results">
        {props.rows.map((row, index) => {
          const active = index === props.activeIndex;
          const checkedIn = truthy(row.checked_in);
          const walkUp = truthy(row.is_walk_up);
          return (
            <UnstyledButton
              key={`${row.source_provider}:${row.participant_id}`}
              className="rd-result-row"
              data-active={active}
              data-result-index={index}
              role="option"
              aria-selected={active}
              tabIndex={-1}
              onClick={() => props.onPick(row)}
              px="sm"
              py={8}
            >
              <Group wrap="nowrap" gap="md">
                <Text ff="monospace" fw={800} fz={22} w={76} ta="right" style={{ flex: 'none' }}>
                  {row.bib_number ?? '—'}
                </Text>
                <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                  <Text fz="lg" fw={600} truncate data-testid="result-name">
                    {fullName(row.first_name, row.last_name)}
                  </Text>
                  <Text size="sm" c="dimmed" truncate>
                    {props.eventNames.get(eventKey(row.source_provider, row.event_id)) ?? row.event_id} · {providerLabel(row.source_provider)}
                    {row.city ? ` · ${row.city}` : ''}
                  </Text>
                </Stack>
                <Group gap={4} wrap="nowrap">
                  {walkUp ? (
                    <Badge color="grape" variant="light">
                      Walk-up
                    </Badge>
                  ) : null}
                  {checkedIn ? (
                    <Badge color="teal" leftSection={<IconCheck size={12} />}>
                      In
                    </Badge>
                  ) : null}
                </Group>
              </Group>
            </UnstyledButton>
          );
        })}
      </Stack>
    </Box>
  );
}
