import { forwardRef, type KeyboardEventHandler } from 'react';
import { Alert, Badge, Button, Divider, Group, Kbd, Paper, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import type { Output } from '../../api/client.ts';
import { IconCheck, IconTicket, IconUndo } from '../../components/icons.tsx';
import { ageGender, fullName, place, providerLabel, shortTime } from './format.ts';

type Detail = Output<'pickup.participant'>;

export interface CardProps {
  detail: Detail;
  busy: boolean;
  onCheckIn(): void;
  onUndo(): void;
  onChangeBib(): void;
  onKeyDown: KeyboardEventHandler<HTMLDivElement>;
}

const changeWords: Record<string, string> = {
  check_in: 'Checked in',
  undo_check_in: 'Check-in undone',
  bib_change: 'Bib changed',
  walk_up: 'Registered as walk-up',
  edit: 'Edited',
};

/** Everything a volunteer reads out at the table, large enough to read at arm's length. */
export const ParticipantCard = forwardRef<HTMLDivElement, CardProps>(function ParticipantCard(props, ref) {
  const { participant: p, fields, history } = props.detail;
  return (
    <Paper ref={ref} withBorder p="lg" radius="lg" tabIndex={0} onKeyDown={props.onKeyDown} data-testid="participant-card" style={{ outlineOffset: 2 }}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Title order={2} fz={34} lh={1.1} data-testid="card-name">
              {fullName(p.first_name, p.last_name)}
            </Title>
            <Text fz="lg" c="dimmed">
              {p.event_name ?? p.event_id}
            </Text>
            <Group gap={6}>
              <Badge variant="light" color="gray">
                {providerLabel(p.source_provider)}
              </Badge>
              {p.is_walk_up ? (
                <Badge color="grape" data-testid="walk-up-badge">
                  Walk-up
                </Badge>
              ) : null}
            </Group>
          </Stack>
          <Stack gap={0} align="flex-end">
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Bib
            </Text>
            <Text fz={56} fw={900} lh={1} ff="monospace" data-testid="card-bib">
              {p.bib_number ?? '—'}
            </Text>
            {p.registered_bib && p.registered_bib !== p.bib_number ? (
              <Text size="sm" c="orange">
                was {p.registered_bib}
              </Text>
            ) : null}
          </Stack>
        </Group>

        {/* The main action right under the name and bib, so it is on screen without scrolling on a phone or a laptop. */}
        <Group gap="sm">
          {p.checked_in ? (
            <Button size="md" variant="default" leftSection={<IconUndo />} onClick={props.onUndo} loading={props.busy} data-testid="undo-button">
              Undo check-in <Kbd ml="xs">Ctrl Z</Kbd>
            </Button>
          ) : (
            <Button size="md" leftSection={<IconCheck />} onClick={props.onCheckIn} loading={props.busy} data-testid="checkin-button">
              Check in <Kbd ml="xs">Enter</Kbd>
            </Button>
          )}
          <Button size="md" variant="light" leftSection={<IconTicket />} onClick={props.onChangeBib} data-testid="change-bib-button">
            Change bib <Kbd ml="xs">B</Kbd>
          </Button>
        </Group>

        {p.checked_in ? (
          <Alert color="teal" variant="filled" icon={<IconCheck />} data-testid="checkin-state" title="Checked in">
            <Text fz="md">
              {shortTime(p.checked_in_at)}
              {p.checked_in_by ? ` at ${p.checked_in_by}` : ''}
            </Text>
          </Alert>
        ) : (
          <Alert color="gray" variant="light" data-testid="checkin-state" title="Not checked in yet">
            {p.bib_number ? (
              <>
                Hand over bib {p.bib_number} and the packet, then press <Kbd>Enter</Kbd>.
              </>
            ) : (
              <>
                No bib assigned yet: press <Kbd>B</Kbd> to give one, then <Kbd>Enter</Kbd> to check in.
              </>
            )}
          </Alert>
        )}

        {fields.length ? (
          <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-yellow-light)" data-testid="card-fields">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={6}>
              {fields.map((field) => (
                <Field key={`${field.key}:${field.label}`} label={field.label} value={field.value} testId={`card-field-${field.key}`} />
              ))}
            </SimpleGrid>
          </Paper>
        ) : null}

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={6}>
          <Field label="Age / gender" value={ageGender(p.age, p.gender)} />
          <Field label="City" value={place(p.city, p.state)} />
          <Field label="Contact" value={p.email ?? p.phone ?? '—'} />
        </SimpleGrid>


        {history.length ? (
          <>
            <Divider label="At the venue" labelPosition="left" />
            <Timeline bulletSize={14} lineWidth={2} active={history.length}>
              {history.slice(0, 6).map((change) => (
                <Timeline.Item key={change.change_id} title={describeChange(change)}>
                  <Text size="xs" c="dimmed">
                    {shortTime(change.changed_at)} · {change.station_name}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
});

function describeChange(change: Detail['history'][number]): string {
  if (change.kind === 'edit' && change.field === 'walk_up_details') return 'Registration details taken down';
  const word = changeWords[change.kind] ?? change.kind;
  if (change.kind === 'bib_change') return `${word}: ${change.old_value ?? '—'} → ${change.new_value ?? '—'}`;
  return word;
}

function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz="lg" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </div>
  );
}
