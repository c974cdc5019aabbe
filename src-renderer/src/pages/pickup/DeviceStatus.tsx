import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useDevice, useDeviceState } from '../../offline/device-transport.ts';
import { IconAlert, IconCheck } from '../../components/icons.tsx';
import { shortTime } from './format.ts';

/**
 * A joined device's link to the station, always on the pickup screen: connected (with the size
 * of its offline copy), or unreachable and retrying with what it keeps doing meanwhile, the
 * changes still queued, and what became of queued changes once the station took them.
 */
export function DeviceStatus() {
  const device = useDevice();
  const state = useDeviceState();
  if (!device || !state) return null;
  const copy = state.copy ? `${state.copy.runners.toLocaleString()} runners on this device${state.copy.complete ? '' : ' (part of the events)'}` : 'no offline copy yet';
  const queued = state.queued > 0 ? `${state.queued} change${state.queued === 1 ? '' : 's'} queued` : null;
  return (
    <Stack gap="xs">
      {state.link === 'online' ? (
        <Group gap="xs" data-testid="device-link" data-link="online">
          <Badge color="teal" variant="dot" size="lg">
            Station connected
          </Badge>
          <Text size="sm" c="dimmed" data-testid="device-copy">
            {copy}
          </Text>
          {queued ? (
            <Badge color="blue" variant="light" data-testid="device-queued">
              {queued}, sending…
            </Badge>
          ) : null}
        </Group>
      ) : (
        <Alert color="yellow" variant="light" icon={<IconAlert />} title="Station unreachable — retrying…" data-testid="device-link" data-link="unreachable">
          <Text size="sm">
            {state.copy
              ? `Lookups answer from this device's copy (${copy}, taken ${shortTime(state.copy.takenAt)}). Check-ins and bib changes are kept here and sent when the station is back.`
              : 'This device has no copy of the runners yet, so lookups wait for the station. Check the Wi-Fi and that the station laptop is running.'}
          </Text>
          <Text size="sm" fw={700} mt={4} data-testid="device-queued">
            {queued ?? 'Nothing queued'}
          </Text>
        </Alert>
      )}
      {state.reports.length > 0 ? (
        <Alert
          color={state.reports.some((report) => report.tone !== 'done') ? 'orange' : 'teal'}
          variant="light"
          icon={<IconCheck />}
          title="Sent to the station after the outage"
          data-testid="replay-reports"
        >
          <Stack gap={2}>
            {state.reports.map((report) => (
              <Text key={report.seq} size="sm" c={report.tone === 'done' ? undefined : report.tone === 'conflict' ? 'orange.9' : 'red'} data-testid="replay-report" data-tone={report.tone}>
                {report.text}
              </Text>
            ))}
            <Group justify="flex-end">
              <Button size="xs" variant="subtle" onClick={() => device.dismissReports()} data-testid="replay-reports-dismiss">
                Got it
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
    </Stack>
  );
}
