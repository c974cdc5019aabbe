import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient, useCoreEvent, useLinkState, useQuery, type QueryState } from '../../api/hooks.ts';
import { Empty, ErrorNote, Loading } from '../../components/states.tsx';
import { IconRefresh } from '../../components/icons.tsx';
import { providerLabel, shortTime, type ProviderName } from '../pickup/format.ts';
import { applyProgress, describeJob, errorCodeWords, progressPercent, statusWords, type RunningJob } from './progress-model.ts';
import { hubState } from './hub-state.ts';

type Account = Output<'status.get'>['accounts'][number];
type EventRow = Output<'browse.events'>['rows'][number];
type Queue = Output<'queue.list'>;
type Pause = Queue['pauses'][number];

/** Where the data comes from and where it goes: provider syncs, the job queue, and the hub push. */
export function SyncPage() {
  const [jobs, setJobs] = useState<RunningJob[]>([]);
  const status = useQuery('status.get', {}, { refreshOn: ['participants', 'sync'] });
  const history = useQuery('history.list', { limit: 30 }, { refreshOn: ['participants', 'sync'] });
  const events = useQuery('browse.events', { limit: 1000, sort: { column: 'event_name', direction: 'asc' } }, { refreshOn: ['participants'] });
  const queue = useQuery('queue.list', { limit: 50 }, { refreshOn: ['sync-queue'] });

  useCoreEvent('sync.progress', (progress) => {
    setJobs((current) => applyProgress(current, progress));
    if (progress.phase === 'done' || progress.phase === 'failed' || progress.phase === 'cancelled') {
      history.reload();
      status.reload();
      queue.reload();
    }
  });

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <StationCard />
        <HubCard />
        <ProvidersCard accounts={status.data?.accounts ?? []} pauses={queue.data?.pauses ?? []} />
      </SimpleGrid>

      {jobs.length ? (
        <Paper withBorder p="md" radius="md" data-testid="running-jobs">
          <Group justify="space-between" mb="xs">
            <Title order={4}>Running</Title>
            {jobs.some((job) => job.finished) ? (
              <Button size="xs" variant="subtle" onClick={() => setJobs((current) => current.filter((job) => !job.finished))}>
                Clear finished
              </Button>
            ) : null}
          </Group>
          <Stack gap="sm">
            {jobs.map((job) => (
              <JobProgress key={job.runId} job={job} />
            ))}
          </Stack>
        </Paper>
      ) : null}

      <div>
        <Title order={3} mb="sm">
          Provider accounts
        </Title>
        {status.error ? (
          <ErrorNote error={status.error} what="Accounts" onRetry={status.reload} />
        ) : !status.data ? (
          <Loading />
        ) : status.data.accounts.length === 0 ? (
          <Empty
            title="No provider accounts yet"
            description="Add the timing company's RunSignUp, ChronoTrack, Race Roster, Copernico or Haku account in Settings, then sync its events here."
            action={
              <Button component="a" href="#/settings" variant="light">
                Open Settings
              </Button>
            }
          />
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {status.data.accounts.map((account) => (
              <AccountCard
                key={`${account.provider}:${account.label}`}
                account={account}
                events={(events.data?.rows ?? []).filter((e) => e.source_provider === account.provider && (e.credentials_used === null || e.credentials_used === account.label))}
                running={jobs.some((job) => !job.finished && job.provider === account.provider && job.account === account.label)}
              />
            ))}
          </SimpleGrid>
        )}
      </div>

      <QueueSection queue={queue} />

      <div>
        <Title order={3} mb="sm">
          History
        </Title>
        {history.error ? (
          <ErrorNote error={history.error} what="Sync history" onRetry={history.reload} />
        ) : !history.data ? (
          <Loading />
        ) : history.data.length === 0 ? (
          <Empty title="No syncs yet" description="Each sync of an account's events is listed here, with what went wrong if anything did." />
        ) : (
          <Paper withBorder radius="md">
            <Table striped verticalSpacing="xs" data-testid="sync-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Records</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.map((row) => {
                  const words = statusWords(row.status);
                  return (
                    <Table.Tr key={row.id}>
                      <Table.Td>{shortTime(row.completedAt ?? row.startedAt)}</Table.Td>
                      <Table.Td>
                        {providerLabel(row.provider)} · {row.account ?? '—'}
                      </Table.Td>
                      <Table.Td>
                        {row.syncType}
                        {row.eventId ? ` · ${row.eventName ?? `event ${row.eventId}`}` : ''}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={words.color} variant="light">
                          {words.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">
                        {row.records.toLocaleString()}
                        {row.unchanged > 0 ? (
                          <Text size="xs" c="dimmed" data-testid="sync-history-unchanged">
                            {unchangedWords(row.unchanged, row.records)}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td maw={420}>
                        <Text size="sm" c={row.error ? (row.status === 'interrupted' || (row.problemCount > 0 && row.status === 'partial') ? 'orange' : 'red') : 'dimmed'}>
                          {row.error ?? '—'}
                        </Text>
                        {row.problemCount > 0 ? <RecordProblems problems={row.problems} count={row.problemCount} /> : null}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
      </div>
    </Stack>
  );
}

type HistoryProblem = Output<'history.list'>[number]['problems'][number];

/** How many of a run's records the store already held as sent: nothing was rewritten or queued for the hub for them. */
function unchangedWords(unchanged: number, records: number): string {
  return unchanged >= records ? 'all unchanged' : `${unchanged.toLocaleString()} unchanged`;
}

/** The records a run stored with a NULL field or skipped: which record, which field, what was sent. */
function RecordProblems({ problems, count }: { problems: HistoryProblem[]; count: number }) {
  return (
    <Stack gap={2} mt={4} data-testid="sync-record-problems">
      {problems.map((p, i) => (
        <Text key={i} size="xs" c={p.skipped ? 'red' : 'dimmed'}>
          {p.skipped ? 'Skipped' : 'NULL'} · {p.recordId ?? 'no id'} · {p.field}
          {p.rawValue !== null ? ` = ${p.rawValue}` : ''}
        </Text>
      ))}
      {count > problems.length ? (
        <Text size="xs" c="dimmed">
          …and {count - problems.length} more
        </Text>
      ) : null}
    </Stack>
  );
}

function JobProgress({ job }: { job: RunningJob }) {
  const percent = progressPercent(job);
  const color = job.phase === 'failed' ? 'red' : job.phase === 'cancelled' ? 'gray' : job.finished ? 'teal' : 'blue';
  return (
    <div data-testid="sync-progress" data-phase={job.phase}>
      <Group justify="space-between" mb={4}>
        <Text fw={600}>
          {providerLabel(job.provider)} · {job.account}
        </Text>
        <Text size="sm" c="dimmed">
          {describeJob(job)}
        </Text>
      </Group>
      <Progress value={percent ?? 100} color={color} size="lg" striped={!job.finished} animated={!job.finished && percent === null} aria-label={describeJob(job)} />
      {job.message ? (
        <Text size="sm" c="red" mt={4}>
          {job.message}
        </Text>
      ) : null}
    </div>
  );
}

function AccountCard({ account, events, running }: { account: Account; events: EventRow[]; running: boolean }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ color: string; text: string } | null>(null);

  async function sync(full: boolean) {
    setBusy(true);
    setOutcome(null);
    try {
      const summary = await client.call('queue.sync', { provider: account.provider as ProviderName, account: account.label, full });
      const records = summary.outcomes.reduce((n, o) => n + o.records, 0);
      const unchanged = summary.outcomes.reduce((n, o) => n + o.unchanged, 0);
      const failed = summary.outcomes.filter((o) => o.error);
      const words = statusWords(summary.status);
      setOutcome({
        color: words.color,
        text:
          `${words.label}: ${summary.eventsListed} event${summary.eventsListed === 1 ? '' : 's'}, ${records.toLocaleString()} records${unchanged > 0 ? ` (${unchangedWords(unchanged, records)})` : ''}.` +
          (failed.length ? ` ${failed.map((o) => `${o.eventName}: ${errorCodeWords(o.errorCode) ?? ''} ${o.error}`).join(' ')}` : ''),
      });
    } catch (failure) {
      setOutcome({ color: 'red', text: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  }

  const last = account.lastSyncStatus ? statusWords(account.lastSyncStatus) : null;
  return (
    <Card withBorder radius="md" data-testid={`account-${account.provider}-${account.label}`}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={700} fz="lg">
            {account.label}
          </Text>
          <Text size="sm" c="dimmed">
            {providerLabel(account.provider)}
            {account.lastSyncAt ? ` · last sync ${shortTime(account.lastSyncAt)}` : ' · never synced'}
          </Text>
        </div>
        <Group gap="xs">
          {last ? (
            <Badge color={last.color} variant="light">
              {last.label}
            </Badge>
          ) : null}
          <Tooltip label="Fetch everything again, ignoring what was already synced">
            <Button variant="default" size="sm" onClick={() => void sync(true)} disabled={busy || running}>
              Full
            </Button>
          </Tooltip>
          <Button size="sm" leftSection={<IconRefresh size={16} />} onClick={() => void sync(false)} loading={busy || running} data-testid="sync-button">
            Sync
          </Button>
        </Group>
      </Group>
      {events.length ? (
        <Table mt="sm" verticalSpacing={4}>
          <Table.Tbody>
            {events.slice(0, 12).map((event) => (
              <Table.Tr key={`${event.event_id}:${event.sub_event_id ?? ''}`}>
                <Table.Td>
                  <Text size="sm">{event.event_name ?? event.event_id}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {event.checked_in.toLocaleString()} / {event.registered.toLocaleString()} checked in
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed" mt="sm">
          No events synced yet — press Sync.
        </Text>
      )}
      {outcome ? (
        <Alert color={outcome.color} variant="light" mt="sm" data-testid="sync-outcome">
          {outcome.text}
        </Alert>
      ) : null}
    </Card>
  );
}

function StationCard() {
  const link = useLinkState();
  const client = useClient();
  const online = link === 'online';
  return (
    <Card withBorder radius="md">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        This device
      </Text>
      <Group mt={4} gap="xs">
        <Badge color={online ? 'teal' : link === 'connecting' ? 'yellow' : 'red'} variant="dot" size="lg">
          {client.transport.kind === 'electron' ? 'Desktop app' : online ? 'Connected to station' : 'Station unreachable'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mt="xs">
        {client.transport.kind === 'electron' ? 'Works fully offline; other devices join through the station QR code.' : 'Check-ins are saved on the station laptop as you make them.'}
      </Text>
    </Card>
  );
}

function HubCard() {
  const client = useClient();
  const hub = useQuery('hub.status', {}, { refreshOn: ['participants', 'hub'] });
  const [pushing, setPushing] = useState(false);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);

  async function push() {
    setPushing(true);
    setMessage(null);
    try {
      const result = await client.call('hub.push', {});
      setMessage({
        color: result.pending ? 'orange' : 'teal',
        text: `Pushed ${result.rows.toLocaleString()} row${result.rows === 1 ? '' : 's'}${result.pending ? `; ${result.pending.toLocaleString()} still waiting` : ''}.`,
      });
      hub.reload();
    } catch (failure) {
      setMessage({ color: 'red', text: errorMessage(failure) });
    } finally {
      setPushing(false);
    }
  }

  const state = hub.data ? hubState(hub.data) : null;
  return (
    <Card withBorder radius="md" data-testid="hub-card">
      <Group justify="space-between">
        <Text size="xs" tt="uppercase" fw={700} c="dimmed">
          Hub
        </Text>
        {state ? (
          <Badge color={state.color} variant="dot" data-testid="hub-state">
            {state.label}
          </Badge>
        ) : null}
      </Group>
      {hub.error ? (
        <ErrorNote error={hub.error} what="The hub" />
      ) : !hub.data ? (
        <Loading />
      ) : (
        <Stack gap={4} mt="xs">
          <Text fz={26} fw={800} lh={1} data-testid="hub-pending">
            {hub.data.pendingChanges.toLocaleString()}
            <Text span size="sm" c="dimmed" fw={500}>
              {' '}change{hub.data.pendingChanges === 1 ? '' : 's'} waiting to be pushed
            </Text>
          </Text>
          <Text size="sm" c="dimmed">
            Last push: {hub.data.lastPush.at ? `${shortTime(hub.data.lastPush.at)} (${hub.data.lastPush.rowsPushed.toLocaleString()} rows)` : 'never'}
          </Text>
          <Text size="sm" c="dimmed" data-testid="hub-last-pull">
            Last pull: {hub.data.lastPull.at ? `${shortTime(hub.data.lastPull.at)} (${hub.data.lastPull.rowsPulled.toLocaleString()} rows)` : 'never'}
          </Text>
          {hub.data.lastPull.lastError && (
            <Text size="sm" c="red">
              Pull failed: {hub.data.lastPull.lastError}
            </Text>
          )}
          {state?.problem ? (
            <Text size="sm" c="red">
              {state.problem}
            </Text>
          ) : null}
          <Group mt="xs">
            <Button size="sm" onClick={() => void push()} loading={pushing} disabled={!hub.data.url} data-testid="push-button">
              Push now
            </Button>
            {!hub.data.url ? (
              <Button size="sm" variant="subtle" component="a" href="#/settings">
                Set up the hub
              </Button>
            ) : null}
          </Group>
          {message ? (
            <Text size="sm" c={message.color}>
              {message.text}
            </Text>
          ) : null}
          <RefusedRows rows={hub.data.refusedRows} />
        </Stack>
      )}
    </Card>
  );
}

/** Rows the hub refused: the push set them aside and went on; each goes again once it changes here. */
function RefusedRows({ rows }: { rows: Array<{ table: string; key: Record<string, unknown>; reason: string; refusedAt: string }> }) {
  if (rows.length === 0) return null;
  return (
    <Stack gap={2} mt="xs" data-testid="hub-refused">
      <Text size="sm" fw={600} c="orange">
        {rows.length.toLocaleString()} row{rows.length === 1 ? '' : 's'} refused by the hub (set aside; fix the row here and it goes again)
      </Text>
      {rows.map((row) => (
        <Text size="xs" key={`${row.table} ${JSON.stringify(row.key)}`} data-testid="hub-refused-row">
          {row.table} {Object.values(row.key).map(String).join(' / ')}: {row.reason} ({shortTime(row.refusedAt)})
        </Text>
      ))}
    </Stack>
  );
}

function ProvidersCard({ accounts, pauses }: { accounts: Account[]; pauses: Pause[] }) {
  const providers = [...new Set([...accounts.map((a) => a.provider), ...pauses.map((p) => p.provider)])];
  return (
    <Card withBorder radius="md" data-testid="providers-card">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        Providers
      </Text>
      {providers.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          No accounts yet.
        </Text>
      ) : (
        <Stack gap={6} mt="xs">
          {providers.map((provider) => {
            const pause = pauses.find((p) => p.provider === provider);
            const mine = accounts.filter((a) => a.provider === provider);
            const lastFailed = mine.some((a) => a.lastSyncStatus === 'failed');
            const synced = mine.some((a) => a.lastSyncStatus === 'success' || a.lastSyncStatus === 'partial');
            const state = pause
              ? { color: 'red', label: `Offline — retry ${shortTime(pause.pausedUntil)}` }
              : lastFailed
                ? { color: 'orange', label: 'Last sync failed' }
                : synced
                  ? { color: 'teal', label: 'Online' }
                  : { color: 'gray', label: 'Not synced yet' };
            return (
              <div key={provider}>
                <Group justify="space-between" wrap="nowrap">
                  <Text size="sm">{providerLabel(provider)}</Text>
                  <Badge variant="dot" color={state.color}>
                    {state.label}
                  </Badge>
                </Group>
                {pause ? (
                  <Text size="xs" c="dimmed">
                    {pause.reason}
                  </Text>
                ) : null}
              </div>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}

function QueueSection({ queue }: { queue: QueryState<Queue> }) {
  const client = useClient();
  const [problem, setProblem] = useState<string | null>(null);
  const jobs = (queue.data?.jobs ?? []).filter((job) => job.status !== 'completed').slice(0, 20);

  async function act(kind: 'queue.retry' | 'queue.cancel', id: number) {
    setProblem(null);
    try {
      await client.call(kind, { id });
      queue.reload();
    } catch (failure) {
      setProblem(errorMessage(failure));
    }
  }

  return (
    <div>
      <Title order={3} mb="sm">
        Queue
      </Title>
      {problem ? (
        <Text c="red" size="sm" mb="xs">
          {problem}
        </Text>
      ) : null}
      {queue.error ? (
        <ErrorNote error={queue.error} what="The sync queue" onRetry={queue.reload} />
      ) : !queue.data ? (
        <Loading />
      ) : jobs.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="queue-empty">
          Nothing waiting: every requested sync has run.
        </Text>
      ) : (
        <Paper withBorder radius="md">
          <Table verticalSpacing="xs" data-testid="sync-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Next try</Table.Th>
                <Table.Th>Problem</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.map((job) => {
                const words = statusWords(job.status);
                return (
                  <Table.Tr key={job.id}>
                    <Table.Td>
                      {providerLabel(job.provider)} · {job.account}
                    </Table.Td>
                    <Table.Td>
                      {job.syncType}
                      {job.eventId ? ` · ${job.eventName ?? `event ${job.eventId}`}` : ' · all events'}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={words.color} variant="light">
                        {words.label}
                      </Badge>
                      {job.retryCount ? (
                        <Text span size="xs" c="dimmed" ml={6}>
                          try {job.retryCount + 1} of {job.maxRetries + 1}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{job.status === 'pending' ? shortTime(job.scheduledFor) : '—'}</Table.Td>
                    <Table.Td maw={380}>
                      <Text size="sm" c={job.lastError ? 'red' : 'dimmed'}>
                        {job.lastError ? `${errorCodeWords(job.lastErrorCode) ?? ''} ${job.lastError}`.trim() : '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {job.status === 'failed' || job.status === 'cancelled' ? (
                        <Button size="xs" variant="light" onClick={() => void act('queue.retry', job.id)}>
                          Retry
                        </Button>
                      ) : job.status === 'pending' || job.status === 'running' ? (
                        <Button size="xs" variant="subtle" color="gray" onClick={() => void act('queue.cancel', job.id)} disabled={job.cancelRequested}>
                          {job.cancelRequested ? 'Cancelling…' : 'Cancel'}
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </div>
  );
}
