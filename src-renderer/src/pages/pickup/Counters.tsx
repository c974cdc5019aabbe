import { Group, Paper, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Output } from '../../api/client.ts';
import { providerLabel } from './format.ts';

type Counters = Output<'pickup.counters'>;

/** Checked in / registered per event, updated live from every station's check-ins. */
export function CountersStrip({ counters }: { counters: Counters }) {
  const { total } = counters;
  return (
    <SimpleGrid cols={{ base: 2, md: Math.min(counters.events.length + 1, 5) }} spacing="sm" data-testid="counters">
      <CounterTile label="All events" checkedIn={total.checkedIn} registered={total.registered} walkUps={total.walkUps} strong testId="counter-total" />
      {counters.events.map((event) => (
        <CounterTile
          key={`${event.provider}:${event.eventId}`}
          label={event.eventName ?? event.eventId}
          sub={providerLabel(event.provider)}
          checkedIn={event.checkedIn}
          registered={event.registered}
          walkUps={event.walkUps}
          testId={`counter-${event.provider}-${event.eventId}`}
        />
      ))}
    </SimpleGrid>
  );
}

function CounterTile(props: { label: string; sub?: string; checkedIn: number; registered: number; walkUps: number; strong?: boolean; testId: string }) {
  const share = props.registered ? (props.checkedIn / props.registered) * 100 : 0;
  return (
    <Paper withBorder p="xs" radius="md" data-testid={props.testId}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" fw={props.strong ? 700 : 500} truncate>
            {props.label}
          </Text>
          {props.sub ? (
            <Text size="xs" c="dimmed">
              {props.sub}
            </Text>
          ) : null}
        </Group>
        <Text fw={800} fz={22} lh={1} data-testid="counter-value">
          {props.checkedIn.toLocaleString()}
          <Text span c="dimmed" fw={500} fz={14}>
            {' '}/ {props.registered.toLocaleString()} checked in
          </Text>
        </Text>
        <Progress value={share} size="sm" aria-label={`${Math.round(share)}% checked in`} />
        {props.walkUps ? (
          <Text size="xs" c="dimmed">
            incl. {props.walkUps} walk-up{props.walkUps === 1 ? '' : 's'}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
