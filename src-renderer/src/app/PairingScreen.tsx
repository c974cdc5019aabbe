import { useState } from 'react';
import { Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { storedStationName, storeStationName, storeToken } from '../api/session.ts';

/*
 * Joining a station from a browser. Every check-in a device makes is signed with the device's
 * name (the audit trail's station), so a device is named when it joins: unnamed, it would sign
 * as the station laptop.
 */

/** At most what the core's stationName accepts (pickup/schemas.ts). */
const nameLimit = 60;

function DeviceNameInput({ value, onChange, autoFocus }: { value: string; onChange(value: string): void; autoFocus?: boolean }) {
  return (
    <TextInput
      size="lg"
      label="Name of this device"
      description="Shown beside every check-in made here, e.g. “Table 2” or “Ana's phone”."
      placeholder="Table 2"
      value={value}
      maxLength={nameLimit}
      onChange={(e) => onChange(e.currentTarget.value)}
      autoFocus={autoFocus}
      autoComplete="off"
      data-testid="device-name"
    />
  );
}

/**
 * Shown in a browser the station refused (no token, or an old one): scan the QR code again, or
 * type the short code shown in the station's Settings.
 */
export function PairingScreen() {
  const [code, setCode] = useState('');
  const [name, setName] = useState(() => storedStationName(window.localStorage) ?? '');
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder radius="lg" p="xl" maw={460} w="100%" data-testid="pairing-screen">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            storeStationName(window.localStorage, name);
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
            <DeviceNameInput value={name} onChange={setName} />
            <Button type="submit" size="lg" disabled={code.replace(/[^A-Z0-9]/g, '').length !== 8 || !name.trim()}>
              Join
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

/** Shown once on a device that joined by QR code or link and has no name yet. */
export function DeviceNameScreen({ onNamed }: { onNamed(): void }) {
  const [name, setName] = useState('');
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder radius="lg" p="xl" maw={460} w="100%" data-testid="device-name-screen">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!name.trim()) return;
            storeStationName(window.localStorage, name);
            onNamed();
          }}
        >
          <Stack>
            <Title order={2}>Name this device</Title>
            <Text>This device joined the station. Give it a name, so the crew can tell which table checked a runner in (it can be changed in Settings).</Text>
            <DeviceNameInput value={name} onChange={setName} autoFocus />
            <Button type="submit" size="lg" disabled={!name.trim()} data-testid="device-name-save">
              Start
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
