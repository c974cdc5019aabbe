import { useState } from 'react';
import { Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { storeToken } from '../api/session.ts';

/**
 * Shown in a browser the station refused (no token, or an old one): scan the QR code again, or
 * type the short code shown in the station's Settings.
 */
export function PairingScreen() {
  const [code, setCode] = useState('');
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder radius="lg" p="xl" maw={460} w="100%" data-testid="pairing-screen">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            storeToken(window.sessionStorage, code);
            window.location.reload();
          }}
        >
          <Stack>
            <Title order={2}>Join the station</Title>
            <Text>This device is not connected to the station yet. Scan the QR code on the station laptop (Settings › Station), or type its short code:</Text>
            <TextInput
              size="xl"
              placeholder="ABCD-EFGH"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.1em', textAlign: 'center' } }}
              autoFocus
              autoComplete="off"
              aria-label="Station short code"
              data-testid="pairing-code"
            />
            <Button type="submit" size="lg" disabled={code.replace(/[^A-Z0-9]/g, '').length !== 8}>
              Join
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
