import { Group, Paper, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Output } from '../../api/client.ts';
import { providerLabel, splitEventName } from './format.ts';

type Counters = Output<'pickup.counters'>;

/** Checked in / registered per event, updated live from every station's check-ins. */
export function CountersStrip({ counters }: { counters: Counters }) {
  const { total } = counters;
  return (
    <SimpleGrid type="container" cols={{ base: 2, '700px': 3, '1000px': Math.min(counters.events.length + 1, 6) }} spacing="sm" data-testid="counters">
      <CounterTile label="All events" checkedIn={total.checkedIn} registered={total.registered} walkUps={total.walkUps} strong testId="counter-total" />
      {counters.events.map((event) => (
        <CounterTile
          key={`${event.provider}:${event.eventId}`}
          label={splitEventName(event.eventName ?? event.eventId).event}
          sub={[splitEventName(event.eventName ?? event.eventId).parent, providerLabel(event.provider)].filter(Boolean).join(' · ')}
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
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={700} truncate title={props.label}>
            {props.label}
          </Text>
          <Text size="xs" c="dimmed" truncate title={props.sub}>
            {props.sub ?? 'Every provider'}
          </Text>
        </div>
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
