import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, MultiSelect, ScrollArea, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { errorMessage, type Input, type Output } from '../../api/client.ts';
import { useClient } from '../../api/hooks.ts';
import { IconAlert, IconCheck } from '../../components/icons.tsx';

type Mapping = Input<'results.preview'>['mapping'] & object;
type Preview = Output<'results.preview'>;
export interface TimingFile {
  name: string;
  content: string;
}

/* Timing software on Windows often writes Windows-1252: accents must survive either way. */
export async function readTimingFile(file: File): Promise<TimingFile> {
  const bytes = await file.arrayBuffer();
  try {
    return { name: file.name, content: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { name: file.name, content: new TextDecoder('windows-1252').decode(bytes) };
  }
}

const outcomeColor: Record<string, string> = { new: 'teal', update: 'blue', unchanged: 'gray', 'no result': 'gray', repeat: 'gray', problem: 'orange' };

/**
 * Shows what an import would do, row by row, with the columns it read; the crew adjusts the
 * mapping and accepts. The clean rows are written and the rows with a problem held, listed under
 * the results for the crew to assign, correct or dismiss.
 */
export function ImportDialog(props: { file: TimingFile; provider: string; eventId: string; eventLabel: string; onClose(): void; onImported(message: string): void }) {
  const client = useClient();
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saveAs, setSaveAs] = useState('');
  const [busy, setBusy] = useState(false);
  const base = useMemo(() => ({ event: props.eventId, provider: props.provider, fileName: props.file.name, content: props.file.content }), [props.eventId, props.provider, props.file]);

  useEffect(() => {
    client
      .call('results.inspect', { fileName: props.file.name, content: props.file.content })
      .then((inspected) => {
        setHeaders(inspected.headers);
        setMapping(inspected.mapping ?? { bib: '', splits: {} });
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [client, props.file]);

  useEffect(() => {
    if (!mapping?.bib) return setPreview(null);
    let current = true;
    setError(null);
    client
      .call('results.preview', { ...base, mapping })
      .then((answer) => current && setPreview(answer))
      .catch((failure: unknown) => {
        if (!current) return;
        setPreview(null);
        setError(errorMessage(failure));
      });
    return () => {
      current = false;
    };
  }, [client, base, mapping]);

  async function accept() {
    if (!mapping) return;
    setBusy(true);
    try {
      const done = await client.call('results.accept', { ...base, mapping, ...(saveAs.trim() ? { saveMappingAs: saveAs.trim() } : {}) });
      const held = done.held + done.alreadyHeld;
      props.onImported(
        `${props.file.name}: ${done.written} results written, ${held} held${done.alreadyHeld > 0 ? ` (${done.alreadyHeld} already)` : ''}, ${done.placesChanged} places changed.`,
      );
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  const columnSelect = (label: string, key: 'bib' | 'chipTime' | 'gunTime' | 'status') => (
    <Select
      label={label}
      data={headers}
      value={mapping?.[key] || null}
      onChange={(value) => mapping && setMapping({ ...mapping, [key]: value ?? (key === 'bib' ? '' : undefined) })}
      clearable={key !== 'bib'}
      w={150}
      data-testid={`mapping-${key}`}
    />
  );
  const counts = preview?.counts;

  return (
    <Modal opened onClose={props.onClose} title={`Import ${props.file.name} into ${props.eventLabel}`} size="xl" data-testid="import-dialog">
      <Stack gap="sm">
        {mapping ? (
          <Group gap="sm" align="flex-end" wrap="wrap">
            {columnSelect('Bib column', 'bib')}
            {columnSelect('Chip time', 'chipTime')}
            {columnSelect('Gun time', 'gunTime')}
            {columnSelect('Status', 'status')}
            <MultiSelect
              label="Splits"
              data={headers}
              value={Object.values(mapping.splits ?? {})}
              onChange={(columns) => setMapping({ ...mapping, splits: Object.fromEntries(columns.map((c) => [c, c])) })}
              w={220}
            />
          </Group>
        ) : null}
        {error ? (
          <Alert color="red" variant="light" icon={<IconAlert />} data-testid="import-error">
            {error}
          </Alert>
        ) : null}
        {counts ? (
          <Text size="sm" data-testid="import-counts">
            {counts.rows} rows: {counts.new} new, {counts.update} updated, {counts.unchanged} unchanged, {counts.noResult} without a result,
            {counts.repeats ? ` ${counts.repeats} repeated,` : ''}{' '}
            <Text span c={counts.problemRows ? 'orange' : undefined} fw={counts.problemRows ? 700 : undefined}>
              {counts.problemRows} to hold
            </Text>
          </Text>
        ) : null}
        {preview && preview.problems.length > 0 ? (
          <Alert color="orange" variant="light" title="These rows will be held for you to assign, correct or dismiss; the others are written" data-testid="import-problems">
            <ScrollArea.Autosize mah={180}>
              <Stack gap={2}>
                {preview.problems.map((problem, i) => (
                  <Text size="sm" key={i} data-testid="import-problem">
                    Line {problem.line}
                    {problem.bib ? ` (bib ${problem.bib})` : ''}: {problem.reason}
                  </Text>
                ))}
                {preview.unlistedProblems > 0 ? (
                  <Text size="sm" data-testid="import-problems-unlisted">
                    and {preview.unlistedProblems} more problems not listed
                  </Text>
                ) : null}
              </Stack>
            </ScrollArea.Autosize>
          </Alert>
        ) : null}
        {preview ? (
          <ScrollArea.Autosize mah={280}>
            <Table striped data-testid="import-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Line</Table.Th>
                  <Table.Th>Bib</Table.Th>
                  <Table.Th>Runner</Table.Th>
                  <Table.Th>Chip</Table.Th>
                  <Table.Th>Gun</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Change</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.rows.map((row) => (
                  <Table.Tr key={row.line}>
                    <Table.Td>{row.line}</Table.Td>
                    <Table.Td ff="monospace">{row.bib}</Table.Td>
                    <Table.Td>{row.name ?? ''}</Table.Td>
                    <Table.Td ff="monospace">{row.chip_time}</Table.Td>
                    <Table.Td ff="monospace">{row.gun_time}</Table.Td>
                    <Table.Td>{row.status ?? ''}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={outcomeColor[row.outcome]}>
                        {row.outcome}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        ) : null}
        <Group justify="space-between" align="flex-end">
          <TextInput label="Remember this mapping as (optional)" placeholder="e.g. RunScore" value={saveAs} onChange={(e) => setSaveAs(e.currentTarget.value)} w={260} />
          <Group gap="sm">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button
              leftSection={<IconCheck size={16} />}
              disabled={!preview || busy}
              loading={busy}
              onClick={() => void accept()}
              data-testid="import-accept"
            >
              Accept import
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
