import { useState } from 'react';
import { Alert, Button, Group, List, Progress, Stack, Text } from '@mantine/core';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient, useCoreEvent } from '../../api/hooks.ts';
import { IconCheck, IconUpload } from '../../components/icons.tsx';

type Published = Output<'results.publish'>;

/** "Publish to RunSignUp": the event's placed results into its RunSignUp result set, with progress and every refused row. */
export function PublishButton({ eventId, provider }: { eventId: string; provider: string }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [published, setPublished] = useState<Published | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useCoreEvent('results.publishProgress', (p) => {
    if (busy && p.eventId === eventId) setProgress({ sent: p.sent, total: p.total });
  });

  async function publish() {
    setBusy(true);
    setFailure(null);
    setPublished(null);
    setProgress(null);
    try {
      setPublished(await client.call('results.publish', { event: eventId, provider }));
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap={6}>
      <Group gap="sm">
        <Button variant="default" leftSection={<IconUpload size={16} />} loading={busy} onClick={() => void publish()} data-testid="results-publish">
          Publish to RunSignUp
        </Button>
        {busy && progress && progress.total > 0 ? <Progress value={(100 * progress.sent) / progress.total} size="sm" w={200} aria-label="Results sent to RunSignUp" /> : null}
      </Group>
      {published ? (
        <Alert
          color={published.rejected.length > 0 ? 'yellow' : 'teal'}
          variant="light"
          icon={<IconCheck />}
          withCloseButton
          onClose={() => setPublished(null)}
          data-testid="results-publish-result"
        >
          <Text size="sm">
            {published.accepted} result{published.accepted === 1 ? '' : 's'} published to RunSignUp result set {published.resultSetId}
            {published.replaced ? ', replacing its earlier rows' : ' (new result set)'}.
            {published.notPlaced > 0 ? ` ${published.notPlaced} finishers without a time were left out.` : ''}
          </Text>
          {published.rejected.length > 0 ? (
            <List size="sm" mt={4} data-testid="results-publish-rejected">
              {published.rejected.map((row) => (
                <List.Item key={row.label}>{row.message}</List.Item>
              ))}
            </List>
          ) : null}
        </Alert>
      ) : null}
      {failure ? (
        <Alert color="red" variant="light" withCloseButton onClose={() => setFailure(null)} data-testid="results-publish-failure">
          {failure}
        </Alert>
      ) : null}
    </Stack>
  );
}
