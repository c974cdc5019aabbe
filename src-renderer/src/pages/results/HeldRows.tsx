import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient, useQuery } from '../../api/hooks.ts';
import { IconAlert, IconSearch } from '../../components/icons.tsx';
import { fullName, type ProviderName } from '../pickup/format.ts';

type HeldRow = Output<'results.held'>['rows'][number];

const kindLabel: Record<HeldRow['kind'], string> = {
  unknown_bib: 'unknown bib',
  shared_bib: 'shared bib',
  duplicate_bib: 'bib twice',
  bad_value: 'unreadable value',
  no_bib: 'no bib',
};

/**
 * The rows imports held, as cards that fit a phone: what the line says, why it was held, and
 * assign (to a runner found by bib or name), correct or dismiss. A bib that appears later (a
 * walk-up, a bib change, a sync) takes its held row by itself, and the list refreshes.
 */
export function HeldRows(props: { eventId: string; provider: string }) {
  const client = useClient();
  const held = useQuery('results.held', { event: props.eventId, provider: props.provider }, { refreshOn: ['results', 'participants'] });
  const [assigning, setAssigning] = useState<HeldRow | null>(null);
  const [correcting, setCorrecting] = useState<HeldRow | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  if (!held.data || held.data.rows.length === 0) return null;

  async function dismiss(row: HeldRow) {
    setFailure(null);
    try {
      await client.call('results.held.dismiss', { id: row.id });
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  return (
    <Alert color="orange" variant="light" icon={<IconAlert />} title={`${held.data.open} held row${held.data.open === 1 ? '' : 's'} to look at`} data-testid="held-panel">
      <Stack gap="xs">
        {failure ? (
          <Text size="sm" c="red" data-testid="held-error">
            {failure}
          </Text>
        ) : null}
        {held.data.rows.map((row) => (
          <Paper key={row.id} withBorder p="xs" data-testid={`held-row-${row.id}`}>
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Stack gap={2} style={{ minWidth: 0, flex: '1 1 220px' }}>
                <Group gap="xs" wrap="wrap">
                  <Text size="sm" fw={700} ff="monospace">
                    {row.bib ? `Bib ${row.bib}` : 'No bib'}
                  </Text>
                  <Badge size="sm" variant="light" color="orange">
                    {kindLabel[row.kind]}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {row.file_name} line {row.line}
                  </Text>
                </Group>
                <Text size="sm" ff="monospace">
                  {Object.entries(row.cells)
                    .filter(([, value]) => value !== '')
                    .map(([column, value]) => `${column} ${value}`)
                    .join(' · ')}
                </Text>
                <Text size="xs" data-testid="held-reason">
                  {row.reasons.join('; ')}
                </Text>
              </Stack>
              <Group gap={6}>
                <Button size="xs" onClick={() => setAssigning(row)} data-testid="held-assign">
                  Assign
                </Button>
                <Button size="xs" variant="default" onClick={() => setCorrecting(row)} data-testid="held-correct">
                  Correct
                </Button>
                <Button size="xs" variant="subtle" color="gray" onClick={() => void dismiss(row)} data-testid="held-dismiss">
                  Dismiss
                </Button>
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
      {assigning ? <AssignDialog row={assigning} eventId={props.eventId} provider={props.provider} onClose={() => setAssigning(null)} /> : null}
      {correcting ? <CorrectDialog row={correcting} onClose={() => setCorrecting(null)} /> : null}
    </Alert>
  );
}

function AssignDialog(props: { row: HeldRow; eventId: string; provider: string; onClose(): void }) {
  const client = useClient();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 150);
  const [error, setError] = useState<string | null>(null);
  // Results belong to a synced provider event, so the provider is one of the providers.
  const scope = [{ provider: props.provider as ProviderName, eventId: props.eventId }];
  const found = useQuery('lookup.search', { query: debounced.trim(), scope, limit: 8 }, { enabled: debounced.trim() !== '' });
  const rows = found.data?.rows ?? [];

  async function assign(participantId: string) {
    setError(null);
    try {
      await client.call('results.held.assign', { id: props.row.id, participantId });
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <Modal opened onClose={props.onClose} title={`Assign line ${props.row.line} (${props.row.bib ? `bib ${props.row.bib}` : 'no bib'}) to a runner`} data-testid="held-assign-dialog">
      <Stack gap="sm">
        <TextInput
          placeholder="Bib or name"
          aria-label="Find the runner"
          leftSection={<IconSearch size={16} />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          data-autofocus
          data-testid="held-assign-search"
        />
        {error ? (
          <Text size="sm" c="red" data-testid="held-assign-error">
            {error}
          </Text>
        ) : null}
        {rows.map((runner) => (
          <UnstyledButton key={runner.participant_id} onClick={() => void assign(runner.participant_id)} data-testid={`held-assign-to-${runner.participant_id}`}>
            <Paper withBorder p="xs">
              <Text size="sm">
                <Text span ff="monospace" fw={700}>
                  {runner.bib_number ?? '—'}
                </Text>{' '}
                {fullName(runner.first_name, runner.last_name)}
              </Text>
            </Paper>
          </UnstyledButton>
        ))}
      </Stack>
    </Modal>
  );
}

function CorrectDialog(props: { row: HeldRow; onClose(): void }) {
  const client = useClient();
  const [bib, setBib] = useState(props.row.bib);
  const [chipTime, setChipTime] = useState(props.row.chip_time);
  const [gunTime, setGunTime] = useState(props.row.gun_time);
  const [status, setStatus] = useState(props.row.status ?? '');
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setError(null);
    // Only what the crew changed: an untouched value keeps the line's own text.
    const changed = (value: string, before: string) => (value.trim() !== before ? value.trim() : undefined);
    try {
      await client.call('results.held.correct', {
        id: props.row.id,
        bib: changed(bib, props.row.bib),
        chipTime: changed(chipTime, props.row.chip_time),
        gunTime: changed(gunTime, props.row.gun_time),
        status: changed(status, props.row.status ?? ''),
      });
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <Modal opened onClose={props.onClose} title={`Correct line ${props.row.line} of ${props.row.file_name}`} data-testid="held-correct-dialog">
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {props.row.reasons.join('; ')}
        </Text>
        <Group gap="sm" wrap="wrap">
          <TextInput label="Bib" value={bib} onChange={(e) => setBib(e.currentTarget.value)} w={110} data-testid="held-correct-bib" />
          <TextInput label="Chip time" value={chipTime} onChange={(e) => setChipTime(e.currentTarget.value)} w={130} data-testid="held-correct-chip" />
          <TextInput label="Gun time" value={gunTime} onChange={(e) => setGunTime(e.currentTarget.value)} w={130} data-testid="held-correct-gun" />
          <TextInput label="Status" value={status} onChange={(e) => setStatus(e.currentTarget.value)} w={90} data-testid="held-correct-status" />
        </Group>
        {error ? (
          <Text size="sm" c="red" data-testid="held-correct-error">
            {error}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button onClick={() => void save()} data-testid="held-correct-save">
            Write result
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
