import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Center, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useClient } from '../api/hooks.ts';
import { adoptPairingCodeFromAddress, forgetPendingCode, joinStation, storedStationName, storedToken } from '../api/session.ts';

/*
 * Joining a station from a browser. A device joins with a one-time pairing code (carried by the
 * QR code's address, or typed) and a name: the station signs every check-in made here with that
 * name (the audit trail's station). The token it gets in exchange stays in this browser until the
 * station removes the device.
 */

/** At most what the station accepts for a device name (station-access/devices.ts). */
const nameLimit = 60;

/** What this browser may do at the station: 'admin' on the laptop itself and on admin devices. */
export type DeviceRole = 'venue' | 'admin';
const DeviceRoleContext = createContext<DeviceRole>('admin');
export const useDeviceRole = () => useContext(DeviceRoleContext);

type Gate = { state: 'checking' } | { state: 'joined'; role: DeviceRole } | { state: 'pair'; problem: string | null } | { state: 'name'; code: string };

/*
 * Once per page load, however often the effect runs (React runs it twice in development): a
 * pairing code is spent by its first use, so a second exchange would fail and count as a guess.
 */
let deviceCheck: Promise<Gate> | null = null;
function checkDevice(client: ReturnType<typeof useClient>): Promise<Gate> {
  deviceCheck ??= (async (): Promise<Gate> => {
    const code = adoptPairingCodeFromAddress({ href: window.location.href, replace: (url) => window.history.replaceState(window.history.state, '', url) }, window.sessionStorage);
    const name = storedStationName(window.localStorage);
    if (code && !name) return { state: 'name', code };
    if (code && name) {
      const joined = await joinStation(code, name, window.localStorage);
      forgetPendingCode(window.sessionStorage);
      // A device that joined before and opens an old link again stays joined as it was.
      if (!joined.ok && !storedToken(window.localStorage)) return { state: 'pair', problem: joined.error.message };
    }
    const me = await client.result('station.whoami', {});
    if (me.ok) return { state: 'joined', role: me.value.role };
    return { state: 'pair', problem: me.error.code === 'unauthorized' ? null : me.error.message };
  })();
  return deviceCheck;
}

/** In a browser, the station must know this device before any screen makes sense. */
export function StationGate({ children }: { children: ReactNode }) {
  const client = useClient();
  const [gate, setGate] = useState<Gate>(() => (client.transport.kind === 'station' ? { state: 'checking' } : { state: 'joined', role: 'admin' }));

  useEffect(() => {
    if (client.transport.kind !== 'station') return;
    let cancelled = false;
    void checkDevice(client).then((next) => {
      if (!cancelled) setGate(next);
    });
    return () => {
      cancelled = true;
    };
  }, [client]);

  switch (gate.state) {
    case 'checking':
      return (
        <Center mih="100vh">
          <Loader />
        </Center>
      );
    case 'pair':
      return <PairingScreen problem={gate.problem} />;
    case 'name':
      return <DeviceNameScreen code={gate.code} onProblem={(problem) => setGate({ state: 'pair', problem })} />;
    case 'joined':
      return <DeviceRoleContext.Provider value={gate.role}>{children}</DeviceRoleContext.Provider>;
  }
}

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

/** Joined: start over with the device's token in place (every screen reads it from storage). */
const reload = () => window.location.reload();

/**
 * Shown in a browser the station does not know (never joined, or removed): scan the QR code
 * again, or type the pairing code shown in the station's Settings. A wrong code is said so.
 */
export function PairingScreen({ problem }: { problem: string | null }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState(() => storedStationName(window.localStorage) ?? '');
  const [error, setError] = useState(problem);
  const [busy, setBusy] = useState(false);
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder radius="lg" p="xl" maw={460} w="100%" data-testid="pairing-screen">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setBusy(true);
            void joinStation(code, name, window.localStorage).then((joined) => {
              setBusy(false);
              if (joined.ok) reload();
              else setError(joined.error.message);
            });
          }}
        >
          <Stack>
            <Title order={2}>Join the station</Title>
            <Text>This device is not connected to the station yet. Scan the QR code on the station laptop (Settings › Station), or type the pairing code shown there:</Text>
            <TextInput
              size="xl"
              placeholder="ABCD-EFGH"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.1em', textAlign: 'center' } }}
              autoFocus
              autoComplete="off"
              aria-label="Station pairing code"
              data-testid="pairing-code"
            />
            <DeviceNameInput value={name} onChange={setName} />
            {error ? (
              <Alert color="red" data-testid="pairing-error">
                {error}
              </Alert>
            ) : null}
            <Button type="submit" size="lg" loading={busy} disabled={code.replace(/[^A-Z0-9]/g, '').length !== 8 || !name.trim()}>
              Join
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

/** Shown once on a device that opened the QR code's address and has no name yet: joins with the name. */
function DeviceNameScreen({ code, onProblem }: { code: string; onProblem(problem: string): void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder radius="lg" p="xl" maw={460} w="100%" data-testid="device-name-screen">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!name.trim()) return;
            setBusy(true);
            void joinStation(code, name, window.localStorage).then((joined) => {
              forgetPendingCode(window.sessionStorage);
              if (joined.ok) reload();
              else onProblem(joined.error.message);
            });
          }}
        >
          <Stack>
            <Title order={2}>Name this device</Title>
            <Text>Give this device a name, so the crew can tell which table checked a runner in (it can be changed in Settings).</Text>
            <DeviceNameInput value={name} onChange={setName} autoFocus />
            <Button type="submit" size="lg" loading={busy} disabled={!name.trim()} data-testid="device-name-save">
              Start
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
