import { Fragment, useState } from 'react';
import { Badge, Group, Table, Text } from '@mantine/core';
import type { Output } from '../../api/client.ts';
import { fullName } from '../pickup/format.ts';

export type ResultRow = Output<'results.list'>['rows'][number];
export type ResultsOrder = 'overall' | 'gender' | 'age';

const statusColor: Record<string, string> = { DNF: 'orange', DNS: 'gray', DQ: 'red' };
const genderLabel: Record<string, string> = { F: 'Women', M: 'Men', X: 'Non-binary' };

/*
 * The heading a row falls under in the gender and age-group tabs ("Women", "Women 30-39"); with
 * several races listed, the race leads ("Half Marathon", "Half Marathon · Women 30-39").
 */
function groupOf(row: ResultRow, by: ResultsOrder, showRace: boolean): string | null {
  const race = showRace ? (row.race_name ?? row.race_id ?? 'Race not known (not placed)') : null;
  if (by === 'overall') return race;
  const gender = row.gender ? (genderLabel[row.gender] ?? row.gender) : 'Gender not given';
  const group = by === 'gender' ? gender : `${gender} ${row.age_group ?? '(no age group)'}`;
  return race === null ? group : `${race} · ${group}`;
}

/** The placed results; a click on a runner opens their splits below the row. */
export function ResultsTable({ rows, by, showRace = false }: { rows: ResultRow[]; by: ResultsOrder; showRace?: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  const placeOf = (row: ResultRow) => (by === 'overall' ? row.overall_place : by === 'gender' ? row.gender_place : row.age_group_place);
  return (
    <Table striped highlightOnHover stickyHeader data-testid="results-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th ta="right">Place</Table.Th>
          <Table.Th ta="right">Bib</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th ta="center">G</Table.Th>
          <Table.Th>Age group</Table.Th>
          <Table.Th ta="right">Time</Table.Th>
          <Table.Th ta="right">Overall</Table.Th>
          <Table.Th ta="right">Gender</Table.Th>
          <Table.Th ta="right">Age group</Table.Th>
          <Table.Th>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, index) => {
          const group = groupOf(row, by, showRace);
          const newGroup = group !== null && (index === 0 || groupOf(rows[index - 1], by, showRace) !== group);
          const isOpen = open === row.participant_id;
          return (
            <Fragment key={row.participant_id}>
              {newGroup ? (
                <Table.Tr data-testid="results-group">
                  <Table.Td colSpan={10}>
                    <Text fw={700} size="sm">
                      {group}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              <Table.Tr
                onClick={() => setOpen(isOpen ? null : row.participant_id)}
                style={{ cursor: 'pointer' }}
                aria-expanded={isOpen}
                data-testid={`results-row-${row.bib_number ?? row.participant_id}`}
              >
                <Table.Td ta="right" fw={700}>
                  {placeOf(row) ?? ''}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {row.bib_number ?? '—'}
                </Table.Td>
                <Table.Td>{fullName(row.first_name, row.last_name)}</Table.Td>
                <Table.Td ta="center">{row.gender ?? ''}</Table.Td>
                <Table.Td>{row.age_group ?? ''}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {row.time}
                </Table.Td>
                <Table.Td ta="right">{row.overall_place ?? ''}</Table.Td>
                <Table.Td ta="right">{row.gender_place ?? ''}</Table.Td>
                <Table.Td ta="right">{row.age_group_place ?? ''}</Table.Td>
                <Table.Td>
                  {row.status === 'FIN' ? '' : (
                    <Badge size="sm" variant="light" color={statusColor[row.status]}>
                      {row.status}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
              {isOpen ? (
                <Table.Tr data-testid={`results-splits-${row.bib_number ?? row.participant_id}`}>
                  <Table.Td colSpan={10}>
                    <Group gap="lg">
                      <Text size="sm">
                        Chip <Text span ff="monospace">{row.chip_time || '—'}</Text>
                      </Text>
                      <Text size="sm">
                        Gun <Text span ff="monospace">{row.gun_time || '—'}</Text>
                      </Text>
                      {row.splits.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          No splits
                        </Text>
                      ) : (
                        row.splits.map((split) => (
                          <Text size="sm" key={split.name}>
                            {split.name} <Text span ff="monospace">{split.time}</Text>
                          </Text>
                        ))
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
