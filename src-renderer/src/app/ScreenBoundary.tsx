import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlert } from '../components/icons.tsx';

interface Props {
  /** The screen's name as the menu shows it, for the message. */
  screen: string;
  /** Where "Back to Pickup" goes: the screen volunteers work on. */
  onHome(): void;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/*
 * One per screen (App.tsx keys it by route, so leaving the screen clears it): a component that
 * throws while rendering shows what failed and a way back inside the shell, instead of React
 * unmounting the whole app into a white page with no menu.
 */
export class ScreenBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for whoever opens the browser console to report it; the screen shows the message.
    console.warn(`The ${this.props.screen} screen failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Alert color="red" variant="light" radius="lg" icon={<IconAlert />} title={`The ${this.props.screen} screen could not be shown`} data-testid="screen-error">
        <Stack gap="sm">
          <Text size="sm">Something on this screen failed. The other screens still work; the menu is on the left (or under ☰ on a phone).</Text>
          <Code block data-testid="screen-error-message">
            {error.message}
          </Code>
          <Group gap="sm">
            <Button onClick={() => this.setState({ error: null })} variant="light" data-testid="screen-error-retry">
              Try again
            </Button>
            <Button
              onClick={() => {
                this.setState({ error: null });
                this.props.onHome();
              }}
              variant="default"
              data-testid="screen-error-home"
            >
              Back to Pickup
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
}
