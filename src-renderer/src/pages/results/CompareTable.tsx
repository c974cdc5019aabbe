import { Table, Text } from '@mantine/core';
import type { Output } from '../../api/client.ts';
import { fullName, providerLabel } from '../pickup/format.ts';

type CompareRow = Output<'results.compare'>[number];

/** The provider's results (ChronoTrack, Copernico) beside the crew's, runner by runner. */
export function CompareTable({ rows }: { rows: CompareRow[] }) {
  const sources = [...new Set(rows.flatMap((row) => row.results.map((r) => r.source_provider)))].sort((a, b) => (a === 'crew' ? -1 : b === 'crew' ? 1 : a.localeCompare(b)));
  const label = (source: string) => (source === 'crew' ? 'Crew' : providerLabel(source));
  return (
    <Table striped data-testid="results-compare">
      <Table.Thead>
        <Table.Tr>
          <Table.Th ta="right">Bib</Table.Th>
          <Table.Th>Name</Table.Th>
          {sources.map((source) => (
            <Table.Th key={source} ta="right">
              {label(source)} time / place
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.participant_id} data-testid={`compare-row-${row.bib_number ?? row.participant_id}`}>
            <Table.Td ta="right" ff="monospace">
              {row.bib_number ?? '—'}
            </Table.Td>
            <Table.Td>{fullName(row.first_name, row.last_name)}</Table.Td>
            {sources.map((source) => {
              const result = row.results.find((r) => r.source_provider === source);
              return (
                <Table.Td key={source} ta="right">
                  {result ? (
                    <Text size="sm" ff="monospace">
                      {result.time ?? result.status ?? '—'} {result.overall_place !== null ? `#${result.overall_place}` : ''}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">—</Text>
                  )}
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
