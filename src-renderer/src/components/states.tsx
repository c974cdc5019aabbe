import type { ReactNode } from 'react';
import { Alert, Button, EmptyState, Loader, Center, Stack, Text } from '@mantine/core';
import { isNotAvailable, type ApiError } from '../api/client.ts';
import { IconAlert, IconInbox, IconPlug } from './icons.tsx';

/** A friendly "nothing here yet" with the one thing to do next. */
export function Empty({ title, description, action, icon }: { title: string; description?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <EmptyState
      py="xl"
      title={title}
      description={description}
      icon={icon ?? <IconInbox size={28} />}
      withIndicatorBackground
      data-testid="empty-state"
    >
      {action ? <EmptyState.Actions>{action}</EmptyState.Actions> : null}
    </EmptyState>
  );
}

/**
 * A failed call in plain words. A handler this build does not have yet ("Unknown API call")
 * shows as a calm "not available" note rather than an error.
 */
export function ErrorNote({ error, onRetry, what }: { error: ApiError; onRetry?: () => void; what?: string }) {
  if (isNotAvailable(error)) {
    return (
      <Alert color="gray" variant="light" icon={<IconPlug />} title={`${what ?? 'This feature'} is not available on this station`} data-testid="not-available">
        This station's RaceDesk does not offer it yet. Everything else keeps working.
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} title={what ? `Could not load ${what.toLowerCase()}` : 'Something went wrong'} data-testid="error-state">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{error.message}</Text>
        {onRetry ? (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <Center py="xl">
      <Stack align="center" gap="xs">
        <Loader size="sm" />
        {label ? (
          <Text size="sm" c="dimmed">
            {label}
          </Text>
        ) : null}
      </Stack>
    </Center>
  );
}
