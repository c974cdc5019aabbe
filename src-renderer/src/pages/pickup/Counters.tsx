import { Button, Collapse, Group, Paper, Progress, ScrollArea, SimpleGrid, Stack, Text } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import type { Output } from '../../api/client.ts';
import { providerLabel, splitEventName } from './format.ts';

type Counters = Output<'pickup.counters'>;

/**
 * Checked in / registered, updated live from every station's check-ins: one compact line for all
 * events, the per-event tiles folded away until asked for (a venue with many events would push the
 * search box off a tablet's screen). The choice is remembered on this device.
 */
export function CountersStrip({ counters }: { counters: Counters }) {
  const { total } = counters;
  const [open, setOpen] = useLocalStorage({ key: 'racedesk.countersOpen', defaultValue: false, getInitialValueInEffect: false });
  const share = total.registered ? (total.checkedIn / total.registered) * 100 : 0;
  return (
    <Stack gap="xs" data-testid="counters">
      <Paper withBorder px="sm" py={6} radius="md" data-testid="counter-total">
        <Group gap="sm" wrap="nowrap" justify="space-between">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Text fw={800} fz={18} lh={1.2} style={{ whiteSpace: 'nowrap' }} data-testid="counter-value">
              {total.checkedIn.toLocaleString()}
              <Text span c="dimmed" fw={500} fz={14}>
                {' '}/ {total.registered.toLocaleString()} checked in
              </Text>
            </Text>
            {total.walkUps ? (
              <Text size="xs" c="dimmed" visibleFrom="xs" style={{ whiteSpace: 'nowrap' }}>
                incl. {total.walkUps} walk-up{total.walkUps === 1 ? '' : 's'}
              </Text>
            ) : null}
          </Group>
          <Progress value={share} size="sm" style={{ flex: 1, minWidth: 40, maxWidth: 320 }} aria-label={`${Math.round(share)}% checked in`} />
          {counters.events.length ? (
            <Button variant="subtle" size="compact-sm" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="counters-toggle">
              {open ? 'Hide events' : `${counters.events.length} event${counters.events.length === 1 ? '' : 's'}`}
            </Button>
          ) : null}
        </Group>
      </Paper>
      <Collapse expanded={open}>
        {/* At most a third of the screen, so the search box stays in view even with many events. */}
        <ScrollArea.Autosize mah="33vh" type="auto">
          <SimpleGrid type="container" cols={{ base: 2, '700px': 4, '1000px': 6 }} spacing="xs" data-testid="counters-events">
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
        </ScrollArea.Autosize>
      </Collapse>
    </Stack>
  );
}

function CounterTile(props: { label: string; sub: string; checkedIn: number; registered: number; walkUps: number; testId: string }) {
  const share = props.registered ? (props.checkedIn / props.registered) * 100 : 0;
  return (
    <Paper withBorder p="xs" radius="md" data-testid={props.testId}>
      <Stack gap={4}>
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={700} truncate title={props.label}>
            {props.label}
          </Text>
          <Text size="xs" c="dimmed" truncate title={props.sub}>
            {props.sub}
          </Text>
        </div>
        <Text fw={800} fz={18} lh={1} data-testid="counter-value">
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
