import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Code, Group, Image, NumberInput, PasswordInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient, useQuery } from '../../api/hooks.ts';
import { forgetToken, storedStationName, storeStationName } from '../../api/session.ts';
import { ErrorNote, Loading } from '../../components/states.tsx';
import { providerLabel, type ProviderName } from '../pickup/format.ts';
import { runsignupOAuth } from '../../../../src-main/core/providers/runsignup/assumptions.ts';

type Provider = Output<'providers.list'>[number];

export function SettingsPage() {
  return (
    <Stack gap="lg" maw={1100}>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <DeviceSection />
        <PartnerSection />
      </SimpleGrid>
      <AccountsSection />
      <RequestAllowanceSection />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <HubSection />
        <StationSection />
      </SimpleGrid>
      <DevicesSection />
      <BibRangesSection />
    </Stack>
  );
}

function Section({ title, description, children, testId }: { title: string; description?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder radius="md" p="lg" data-testid={testId}>
      <Title order={4}>{title}</Title>
      {description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      ) : null}
      {children}
    </Card>
  );
}

type FeedbackLine = { color: string; text: string };

/**
 * A form's one action at a time: `busy` while it runs, then what it says in `feedback` (its own
 * words in teal, or the failure's message in red).
 */
function useFormAction() {
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<FeedbackLine | null>(null);
  async function run(action: () => Promise<string | null>): Promise<void> {
    setBusy(true);
    setFeedback(null);
    try {
      const said = await action();
      if (said !== null) setFeedback({ color: 'teal', text: said });
    } catch (failure) {
      setFeedback({ color: 'red', text: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  }
  return { busy, feedback, run };
}

function Feedback({ value }: { value: FeedbackLine | null }) {
  return value ? (
    <Text size="sm" c={value.color} mt="xs" data-testid="settings-feedback">
      {value.text}
    </Text>
  ) : null;
}

function DeviceSection() {
  const client = useClient();
  const [name, setName] = useState(() => storedStationName(window.localStorage) ?? '');
  const [saved, setSaved] = useState<FeedbackLine | null>(null);
  return (
    <Section title="This device" description="The name written next to every check-in, bib change and walk-up made here, so the crew knows which table did what.">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (client.transport.kind === 'electron') {
            storeStationName(window.localStorage, name);
            setSaved({ color: 'teal', text: name.trim() ? `This device now signs as “${name.trim()}”.` : 'This device signs with the station’s own name.' });
            return;
          }
          // The station signs with the name the device is known by there, so it is renamed there.
          void client.result('station.renameSelf', { name }).then((renamed) => {
            if (!renamed.ok) return setSaved({ color: 'red', text: renamed.error.message });
            storeStationName(window.localStorage, renamed.value.name);
            setSaved({ color: 'teal', text: `This device now signs as “${renamed.value.name}”.` });
          });
        }}
      >
        <Group align="flex-end">
          <TextInput label="Station name" placeholder="e.g. Table 2 — bibs 1-500" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={60} style={{ flex: 1 }} data-testid="device-station-name" />
          <Button type="submit">Save</Button>
        </Group>
      </form>
      <Feedback value={saved} />
      {client.transport.kind === 'electron' ? (
        <Text size="xs" c="dimmed" mt="xs">
          On the desktop app, changes are signed with the station name from the station settings.
        </Text>
      ) : null}
    </Section>
  );
}

function PartnerSection() {
  const client = useClient();
  const partner = useQuery('partner.get', {});
  const [id, setId] = useState<number | string>('');
  const [name, setName] = useState('');
  const [feedback, setFeedback] = useState<FeedbackLine | null>(null);
  useEffect(() => {
    if (partner.data) {
      setId(partner.data.id);
      setName(partner.data.name);
    }
  }, [partner.data]);

  async function save() {
    try {
      const saved = await client.call('partner.set', { id: Number(id), name });
      setFeedback({ color: 'teal', text: `Saved: ${saved.name} (partner ${saved.id}).` });
      partner.reload();
    } catch (failure) {
      setFeedback({ color: 'red', text: errorMessage(failure) });
    }
  }

  return (
    <Section title="Timing partner" description="The timing company this installation works for; every row pushed to the hub carries its id.">
      {partner.error ? <ErrorNote error={partner.error} what="Timing partner" /> : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Group align="flex-end">
          <NumberInput label="Partner id" value={id} onChange={setId} min={1} w={120} allowDecimal={false} />
          <TextInput label="Company name" value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1, minWidth: 220 }} />
          <Button type="submit">Save</Button>
        </Group>
      </form>
      <Feedback value={feedback} />
    </Section>
  );
}

function AccountsSection() {
  const client = useClient();
  const providers = useQuery('providers.list', {});
  const accounts = useQuery('accounts.list', {});
  const [results, setResults] = useState<Record<string, { color: string; text: string }>>({});
  const [busy, setBusy] = useState<string | null>(null);

  async function act(kind: 'check' | 'remove', provider: string, label: string) {
    const key = `${provider}:${label}`;
    if (kind === 'remove' && !window.confirm(`Remove the ${providerLabel(provider)} account “${label}”? Its secret is deleted from the keychain; synced data stays.`)) return;
    setBusy(key);
    try {
      if (kind === 'check') {
        await client.call('accounts.check', { provider: provider as ProviderName, label });
        setResults((r) => ({ ...r, [key]: { color: 'teal', text: 'The provider accepted the credentials.' } }));
      } else {
        await client.call('accounts.remove', { provider: provider as ProviderName, label });
        accounts.reload();
      }
    } catch (failure) {
      setResults((r) => ({ ...r, [key]: { color: 'red', text: errorMessage(failure) } }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Section title="Provider accounts" description="Secrets are checked with the provider, then kept in this computer's keychain. They are never shown again." testId="accounts-section">
      {accounts.error ? <ErrorNote error={accounts.error} what="Accounts" onRetry={accounts.reload} /> : null}
      {accounts.data && accounts.data.length ? (
        <Table verticalSpacing="xs" mb="md" data-testid="accounts-table">
          <Table.Tbody>
            {accounts.data.map((account) => {
              const key = `${account.provider}:${account.label}`;
              return (
                <Table.Tr key={key}>
                  <Table.Td>
                    <Text fw={600}>{account.label}</Text>
                    <Text size="xs" c="dimmed">
                      {providerLabel(account.provider)}
                      {account.baseUrl ? ` · ${account.baseUrl}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color="gray">
                      secret in keychain
                    </Badge>
                  </Table.Td>
                  <Table.Td>{results[key] ? <Text size="sm" c={results[key].color}>{results[key].text}</Text> : null}</Table.Td>
                  <Table.Td ta="right">
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => void act('check', account.provider, account.label)} loading={busy === key}>
                        Check
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => void act('remove', account.provider, account.label)} disabled={busy === key}>
                        Remove
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : accounts.data ? (
        <Text size="sm" c="dimmed" mb="md">
          No accounts yet. Add the first one below.
        </Text>
      ) : null}
      {providers.error ? <ErrorNote error={providers.error} what="Providers" /> : providers.data ? <AddAccountForm providers={providers.data} onAdded={accounts.reload} /> : <Loading />}
      <RunSignUpSignInForm defaultBaseUrl={providers.data?.find((p) => p.name === 'runsignup')?.defaultBaseUrl} onAdded={accounts.reload} />
    </Section>
  );
}

function AddAccountForm({ providers, onAdded }: { providers: Provider[]; onAdded(): void }) {
  const client = useClient();
  const [provider, setProvider] = useState<string | null>(providers[0]?.name ?? null);
  const [label, setLabel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [secret, setSecret] = useState<Record<string, string>>({});
  const { busy, feedback, run } = useFormAction();
  const definition = providers.find((p) => p.name === provider);

  const add = () =>
    run(async () => {
      if (!definition) return null;
      const added = await client.call('accounts.add', {
        provider: definition.name as ProviderName,
        label: label.trim(),
        ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        secret,
      });
      setLabel('');
      setBaseUrl('');
      setSecret({});
      onAdded();
      return `Added ${providerLabel(added.provider)} account “${added.label}”.`;
    });

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
      data-testid="add-account-form"
    >
      <Text fw={600} mb="xs">
        Add an account
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label="Provider"
          data={providers.map((p) => ({ value: p.name, label: p.displayName }))}
          value={provider}
          onChange={(value) => {
            setProvider(value);
            setSecret({});
          }}
          allowDeselect={false}
        />
        <TextInput label="Label" placeholder="e.g. Main account" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required />
        <TextInput label="API address (optional)" placeholder={definition?.defaultBaseUrl} value={baseUrl} onChange={(e) => setBaseUrl(e.currentTarget.value)} />
        {definition?.secretFields.map((field) =>
          field.secret ? (
            <PasswordInput key={field.key} label={field.label} value={secret[field.key] ?? ''} onChange={(e) => setSecret((s) => ({ ...s, [field.key]: e.currentTarget.value }))} autoComplete="off" required={!field.optional} />
          ) : (
            <TextInput key={field.key} label={field.label} value={secret[field.key] ?? ''} onChange={(e) => setSecret((s) => ({ ...s, [field.key]: e.currentTarget.value }))} autoComplete="off" required={!field.optional} />
          ),
        )}
      </SimpleGrid>
      <Group mt="md">
        <Button type="submit" loading={busy} disabled={!label.trim()}>
          Check and add
        </Button>
        <Feedback value={feedback} />
      </Group>
    </form>
  );
}

type OAuthBegun = Output<'accounts.oauthBegin'>;

/**
 * RunSignUp's OAuth sign-in (authorization code with PKCE): RaceDesk opens RunSignUp's page in the
 * system browser; after the person approves, RunSignUp sends the browser to the client's redirect
 * URI with a code, and the person pastes that address (or the code) here. The verifier stays in
 * this form's memory until then.
 */
function RunSignUpSignInForm({ defaultBaseUrl, onAdded }: { defaultBaseUrl: string | undefined; onAdded(): void }) {
  const client = useClient();
  const [label, setLabel] = useState('');
  const [clientId, setClientId] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [redirectUri, setRedirectUri] = useState('');
  const [begun, setBegun] = useState<OAuthBegun | null>(null);
  const [pasted, setPasted] = useState('');
  const { busy, feedback, run } = useFormAction();
  const asked = {
    provider: 'runsignup' as const,
    clientId: clientId.trim(),
    ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
    ...(redirectUri.trim() ? { redirectUri: redirectUri.trim() } : {}),
  };

  const begin = () =>
    run(async () => {
      const started = await client.call('accounts.oauthBegin', asked);
      setBegun(started);
      setPasted('');
      // The desktop shell hands a new window's address to the system browser (electron/window.ts).
      window.open(started.authorizeUrl, '_blank', 'noopener');
      return null;
    });

  const complete = (from: OAuthBegun) =>
    run(async () => {
      const added = await client.call('accounts.oauthComplete', {
        ...asked,
        label: label.trim(),
        redirectUri: from.redirectUri,
        code: pasted.trim(),
        state: from.state,
        codeVerifier: from.codeVerifier,
      });
      setBegun(null);
      setPasted('');
      setLabel('');
      onAdded();
      return `Signed in: added RunSignUp account “${added.label}”.`;
    });

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void (begun ? complete(begun) : begin());
      }}
      data-testid="runsignup-oauth-form"
    >
      <Text fw={600} mt="lg" mb={4}>
        Sign in with RunSignUp
      </Text>
      <Text size="sm" c="dimmed" mb="xs">
        For a RunSignUp OAuth client of your own: RaceDesk keeps only the refresh token, in this computer's keychain.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Label" placeholder="e.g. Main account" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required disabled={begun !== null} />
        <TextInput label="OAuth client id" value={clientId} onChange={(e) => setClientId(e.currentTarget.value)} autoComplete="off" required disabled={begun !== null} data-testid="oauth-client-id" />
        <TextInput label="Redirect URI (optional)" description="The one registered for the client" placeholder={runsignupOAuth.defaultRedirectUri} value={redirectUri} onChange={(e) => setRedirectUri(e.currentTarget.value)} disabled={begun !== null} data-testid="oauth-redirect-uri" />
        <TextInput label="API address (optional)" placeholder={defaultBaseUrl} value={baseUrl} onChange={(e) => setBaseUrl(e.currentTarget.value)} disabled={begun !== null} data-testid="oauth-base-url" />
      </SimpleGrid>
      {begun ? (
        <Stack gap="xs" mt="md">
          <Text size="sm">
            Approve RaceDesk on{' '}
            <a href={begun.authorizeUrl} target="_blank" rel="noreferrer" data-testid="oauth-authorize-link">
              RunSignUp's page
            </a>
            . The browser is then sent to {begun.redirectUri}?code=… (that page may not load): paste that whole address, or the code, here.
          </Text>
          <TextInput label="Address or code" value={pasted} onChange={(e) => setPasted(e.currentTarget.value)} autoComplete="off" required data-testid="oauth-pasted" />
        </Stack>
      ) : null}
      <Group mt="md">
        <Button type="submit" loading={busy} disabled={!label.trim() || !clientId.trim() || (begun !== null && !pasted.trim())} data-testid="oauth-submit">
          {begun ? 'Finish sign-in' : 'Sign in with RunSignUp'}
        </Button>
        {begun ? (
          <Button variant="subtle" onClick={() => setBegun(null)} disabled={busy}>
            Cancel
          </Button>
        ) : null}
        <Feedback value={feedback} />
      </Group>
    </form>
  );
}

function RequestAllowanceSection() {
  const providers = useQuery('providers.list', {});
  return (
    <Section
      title="Request allowance"
      description="The requests an hour each provider allows, shared by all syncs on this computer. Raise one only if the provider agreed to a higher limit."
      testId="allowance-section"
    >
      {providers.error ? (
        <ErrorNote error={providers.error} what="Request allowances" onRetry={providers.reload} />
      ) : providers.data ? (
        <Table verticalSpacing={4}>
          <Table.Tbody>
            {providers.data.map((provider) => (
              <AllowanceRow key={provider.name} provider={provider} onSaved={providers.reload} />
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Loading />
      )}
    </Section>
  );
}

function AllowanceRow({ provider, onSaved }: { provider: Provider; onSaved(): void }) {
  const client = useClient();
  const [perHour, setPerHour] = useState<number | string>(provider.requestsPerHour);
  const { busy, feedback, run } = useFormAction();
  useEffect(() => setPerHour(provider.requestsPerHour), [provider.requestsPerHour]);

  const save = () =>
    run(async () => {
      const saved = await client.call('providers.setRequestsPerHour', { provider: provider.name as ProviderName, requestsPerHour: Number(perHour) });
      onSaved();
      return `Saved: ${saved.requestsPerHour.toLocaleString()} an hour from the next sync on.`;
    });

  return (
    <Table.Tr data-testid={`allowance-${provider.name}`}>
      <Table.Td>{provider.displayName}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <NumberInput
            aria-label={`${provider.displayName} requests per hour`}
            size="xs"
            w={140}
            value={perHour}
            onChange={setPerHour}
            min={1}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
          />
          <Text size="xs" c="dimmed">
            per hour
          </Text>
        </Group>
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="default" onClick={() => void save()} loading={busy} disabled={perHour === '' || Number(perHour) === provider.requestsPerHour}>
          Save
        </Button>
      </Table.Td>
      <Table.Td>{feedback ? <Text size="sm" c={feedback.color}>{feedback.text}</Text> : null}</Table.Td>
    </Table.Tr>
  );
}

function HubSection() {
  const client = useClient();
  const hub = useQuery('hub.status', {});
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [feedback, setFeedback] = useState<FeedbackLine | null>(null);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  useEffect(() => {
    if (hub.data?.url) setUrl(hub.data.url);
  }, [hub.data?.url]);

  const changed = url.trim() !== (hub.data?.url ?? '') || password !== '';

  // Test checks the saved connection, so unsaved edits are saved first (the password goes to the keychain).
  async function run(kind: 'test' | 'save') {
    setBusy(kind);
    setFeedback(null);
    try {
      if (changed || kind === 'save') {
        await client.call('hub.set', { url: url.trim(), ...(password ? { password } : {}) });
        setPassword('');
        hub.reload();
      }
      if (kind === 'test') {
        const result = await client.call('hub.test', {});
        setFeedback(
          result.ready
            ? { color: 'teal', text: `Connected as ${result.role} (partner ${result.timingPartnerId ?? '—'}), hub schema version ${result.schemaVersion}. TLS: ${result.tls}.` }
            : { color: 'orange', text: `${result.problem ?? 'Connected, but the hub is not ready for this partner.'} TLS: ${result.tls}.` },
        );
      } else {
        setFeedback({ color: 'teal', text: 'Hub connection saved; the password is in the keychain.' });
      }
    } catch (failure) {
      setFeedback({ color: 'red', text: errorMessage(failure) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Section title="Hub connection" description="The partner's central database. Venue changes wait here until the hub is reachable." testId="hub-section">
      {hub.error ? (
        <ErrorNote error={hub.error} what="The hub connection" />
      ) : (
        <Stack gap="sm">
          <TextInput label="Address" placeholder="postgres://racedesk_p1@hub.example.com:5432/hub?sslmode=verify-full" value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
          <PasswordInput label="Password" placeholder={hub.data?.url ? 'kept in the keychain — type to replace' : ''} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="off" />
          <Group>
            <Button variant="default" onClick={() => void run('test')} loading={busy === 'test'} disabled={!url.trim()} data-testid="hub-test">
              {changed ? 'Save and test' : 'Test'}
            </Button>
            <Button onClick={() => void run('save')} loading={busy === 'save'} disabled={!url.trim() || !changed}>
              Save
            </Button>
          </Group>
          <Feedback value={feedback} />
        </Stack>
      )}
    </Section>
  );
}

function StationSection() {
  const client = useClient();
  // A used code is replaced at once: the next device gets the new one.
  const station = useQuery('station.info', {}, { refreshOn: ['devices'] });
  return (
    <Section title="Station" description="Other laptops, tablets and phones on the venue Wi-Fi join this station by scanning the code." testId="station-section">
      {station.error ? (
        <ErrorNote error={station.error} what="The station" />
      ) : !station.data ? (
        <Loading />
      ) : (
        <Group align="flex-start" wrap="nowrap">
          <Image src={`data:image/svg+xml;utf8,${encodeURIComponent(station.data.qrSvg)}`} alt="Station QR code" w={160} h={160} bg="white" p={6} radius="md" data-testid="station-qr" />
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Badge color={station.data.running ? 'teal' : 'gray'} variant="dot">
              {station.data.running ? 'Station is serving' : 'Station is off'}
            </Badge>
            <Text size="sm">Pairing code (one device, until {new Date(station.data.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})</Text>
            <Text fz={28} fw={800} ff="monospace" lh={1} data-testid="station-short-code">
              {station.data.shortCode}
            </Text>
            <Text size="xs" c="dimmed">
              Address
            </Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="station-address">
              {station.data.url}
            </Code>
            <Text size="xs" c="dimmed">
              The code and QR code join a check-in table (pickup and walk-ups only). Make a device an admin under Devices.
            </Text>
            {station.data.notice ? (
              <Alert color="yellow" p="xs" data-testid="station-notice">
                {station.data.notice}
              </Alert>
            ) : null}
            {station.data.readableOnNetwork ? (
              <Alert color="orange" p="xs" data-testid="station-plain-http">
                The station speaks plain HTTP: anyone on the venue Wi-Fi can read its traffic (runners' names and check-ins). Use a network only the crew can join.
              </Alert>
            ) : null}
            {client.transport.kind === 'station' ? (
              <Button
                size="xs"
                variant="default"
                mt="xs"
                onClick={() => {
                  forgetToken(window.localStorage);
                  window.location.reload();
                }}
                data-testid="switch-station"
              >
                Join another station
              </Button>
            ) : null}
          </Stack>
        </Group>
      )}
      <ServeControls onChange={station.reload} />
    </Section>
  );
}

/**
 * The devices that joined this station: only on the laptop itself (its window), which decides who
 * is an admin and who is removed. A removed device stops at its next call and must join again.
 */
function DevicesSection() {
  return useClient().transport.kind === 'electron' ? <DevicesPanel /> : null;
}

function DevicesPanel() {
  const client = useClient();
  const devices = useQuery('station.devices', {}, { refreshOn: ['devices'] });
  const [feedback, setFeedback] = useState<FeedbackLine | null>(null);
  const [adminLink, setAdminLink] = useState<Output<'station.pairingCode'> | null>(null);

  async function act(run: () => Promise<{ name: string }>, done: (name: string) => string) {
    try {
      const device = await run();
      setFeedback({ color: 'teal', text: done(device.name) });
      devices.reload();
    } catch (failure) {
      setFeedback({ color: 'red', text: errorMessage(failure) });
    }
  }

  return (
    <Section title="Devices" description="Every browser that joined this station, under the name it signs with. Admins may use every screen; check-in tables only Pickup and Walk-up." testId="devices-section">
      {devices.error ? <ErrorNote error={devices.error} what="The devices" /> : null}
      {devices.data && devices.data.length === 0 ? <Text size="sm">No device has joined yet.</Text> : null}
      {devices.data && devices.data.length > 0 ? (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Device</Table.Th>
              <Table.Th>Rights</Table.Th>
              <Table.Th>Last seen</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {devices.data.map((device) => (
              <Table.Tr key={device.deviceId} data-testid="device-row">
                <Table.Td>{device.name}</Table.Td>
                <Table.Td>{device.revokedAt ? 'Removed' : device.role === 'admin' ? 'Admin' : 'Check-in table'}</Table.Td>
                <Table.Td>{device.lastSeenAt ? new Date(device.lastSeenAt).toLocaleString() : '—'}</Table.Td>
                <Table.Td>
                  {device.revokedAt ? null : (
                    <Group gap="xs" justify="flex-end">
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() =>
                          void act(
                            () => client.call('station.setDeviceRole', { deviceId: device.deviceId, role: device.role === 'admin' ? 'venue' : 'admin' }),
                            (name) => (device.role === 'admin' ? `“${name}” is a check-in table again.` : `“${name}” is now an admin.`),
                          )
                        }
                      >
                        {device.role === 'admin' ? 'Make check-in table' : 'Make admin'}
                      </Button>
                      <Button size="xs" color="red" variant="light" onClick={() => void act(() => client.call('station.revokeDevice', { deviceId: device.deviceId }), (name) => `“${name}” was removed; it has to join again.`)}>
                        Remove
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Group mt="sm">
        <Button size="xs" variant="default" onClick={() => void client.call('station.pairingCode', { role: 'admin' }).then(setAdminLink, (failure) => setFeedback({ color: 'red', text: errorMessage(failure) }))}>
          Admin pairing code
        </Button>
        {adminLink ? (
          <Text size="sm" data-testid="admin-pairing-code">
            <Code>{adminLink.shortCode}</Code> joins one device as an admin until {new Date(adminLink.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: {adminLink.url}
          </Text>
        ) : null}
      </Group>
      <Feedback value={feedback} />
    </Section>
  );
}

/** Whether and where this laptop serves its screens: only the desktop app can switch it. */
function ServeControls({ onChange }: { onChange(): void }) {
  const client = useClient();
  const settings = useQuery('station.settings', {});
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState<number | string>(4888);
  const [feedback, setFeedback] = useState<FeedbackLine | null>(null);
  useEffect(() => {
    if (settings.data) {
      setHost(settings.data.host === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0');
      setPort(settings.data.port);
    }
  }, [settings.data]);
  if (!settings.data) return null;
  if (!settings.data.controllable) {
    return (
      <Text size="xs" c="dimmed" mt="sm">
        This station was started with <Code>racedesk station</Code>; restart it with <Code>--host</Code> and <Code>--port</Code> to change where it listens.
      </Text>
    );
  }

  async function apply(enabled: boolean) {
    try {
      const next = await client.call('station.configure', { enabled, host, port: Number(port) });
      setFeedback({ color: 'teal', text: next.running ? `Serving on ${next.host}:${next.port}.` : 'The station is off.' });
      settings.reload();
      onChange();
    } catch (failure) {
      setFeedback({ color: 'red', text: errorMessage(failure) });
    }
  }

  return (
    <Stack gap="xs" mt="md" data-testid="station-serve">
      <Switch
        label="Serve this screen to other devices"
        checked={settings.data.enabled}
        onChange={(event) => void apply(event.currentTarget.checked)}
        data-testid="station-switch"
      />
      <Group align="flex-end" gap="sm">
        <SegmentedControl
          value={host}
          onChange={setHost}
          data={[
            { value: '127.0.0.1', label: 'This laptop only' },
            { value: '0.0.0.0', label: 'Venue network' },
          ]}
        />
        <NumberInput label="Port" value={port} onChange={setPort} min={1024} max={65535} w={110} />
        <Button variant="default" onClick={() => void apply(settings.data?.enabled ?? false)}>
          Apply
        </Button>
      </Group>
      <Feedback value={feedback} />
    </Stack>
  );
}

function BibRangesSection() {
  const client = useClient();
  const ranges = useQuery('pickup.bibRanges', {}, { refreshOn: ['participants'] });
  const events = useQuery('browse.eventChoices', {});
  const [event, setEvent] = useState<string | null>(null);
  const [first, setFirst] = useState<number | string>('');
  const [last, setLast] = useState<number | string>('');
  const [feedback, setFeedback] = useState<FeedbackLine | null>(null);

  async function save() {
    if (!event) return;
    const [provider, eventId] = [event.slice(0, event.indexOf('|')), event.slice(event.indexOf('|') + 1)];
    try {
      const range = await client.call('pickup.setBibRange', { provider: provider as ProviderName, eventId, firstBib: Number(first), lastBib: Number(last) });
      setFeedback({ color: 'teal', text: `Walk-ups of ${range.eventName ?? range.eventId} get bibs ${range.firstBib}–${range.lastBib} (${range.free} free).` });
      ranges.reload();
    } catch (failure) {
      setFeedback({ color: 'red', text: errorMessage(failure) });
    }
  }

  return (
    <Section title="Walk-up bibs" description="The bib range kept free for day-of registrations, per event. The walk-up form hands out the next free one.">
      {ranges.error ? <ErrorNote error={ranges.error} what="Walk-up bib ranges" /> : null}
      {ranges.data?.length ? (
        <Table verticalSpacing={4} mb="sm">
          <Table.Tbody>
            {ranges.data.map((range) => (
              <Table.Tr key={`${range.provider}:${range.eventId}`}>
                <Table.Td>{range.eventName ?? range.eventId}</Table.Td>
                <Table.Td>{providerLabel(range.provider)}</Table.Td>
                <Table.Td ff="monospace">
                  {range.firstBib}–{range.lastBib}
                </Table.Td>
                <Table.Td>{range.free} free</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Group align="flex-end">
          <Select
            label="Event"
            data={(events.data?.rows ?? []).map((e) => ({ value: `${e.source_provider}|${e.event_id}`, label: `${e.event_name ?? e.event_id} (${providerLabel(e.source_provider)})` }))}
            value={event}
            onChange={setEvent}
            searchable
            style={{ flex: 1 }}
          />
          <NumberInput label="First bib" value={first} onChange={setFirst} min={0} w={120} allowDecimal={false} />
          <NumberInput label="Last bib" value={last} onChange={setLast} min={0} w={120} allowDecimal={false} />
          <Button type="submit" disabled={!event || first === '' || last === ''}>
            Set range
          </Button>
        </Group>
      </form>
      <Feedback value={feedback} />
      {!ranges.data && !ranges.error ? <Alert color="gray">Loading…</Alert> : null}
    </Section>
  );
}
