import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { startStationServer } from '../../../src-main/station/server.ts';
import { startStationKeepingPort } from '../../../src-main/cli/commands/station.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';
import { createTestCore, type TestCore } from '../../helpers/core.ts';
import { runRacedesk } from '../../helpers/cli.ts';

/*
 * The port `racedesk demo` serves on: devices that joined keep their address because every run
 * uses the port of the last one, and it moves (and is saved) only when something else holds it.
 * Real servers on real ports; needs the OS keychain (the station's background syncs read accounts).
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Something else listening on the port; the returned function frees it (so does the test's end). */
async function occupy(port: number): Promise<() => Promise<void>> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const release = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  cleanups.push(release);
  return release;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function testCore(): TestCore {
  const core = createTestCore();
  cleanups.push(() => core.cleanup());
  return core;
}

/** One run of the demo's station: starts it on the configured port, then stops it; the port it served on. */
async function demoRun(core: TestCore): Promise<number> {
  const station = await startStationKeepingPort(core, '127.0.0.1', core.settings.read().station.port, true);
  await station.close();
  return station.port;
}

describe('the demo station port', () => {
  it('stays the same between runs, moves to a free one only while it is taken, and keeps the new one after', async () => {
    const core = testCore();
    const first = await freePort();
    updateSettings(core.settings, (current) => ({ ...current, station: { ...current.station, port: first } }));

    expect(await demoRun(core)).toBe(first);
    expect(await demoRun(core)).toBe(first);

    const release = await occupy(first);
    const moved = await demoRun(core);
    expect(moved).not.toBe(first);
    expect(core.settings.read().station.port).toBe(moved);
    // The next run keeps the port the devices now know, even once the old one is free again.
    await release();
    expect(await demoRun(core)).toBe(moved);
    expect(core.settings.read().station.port).toBe(moved);
  });

  it('`racedesk station` (no moving) refuses a taken port plainly and leaves the settings alone', async () => {
    const core = testCore();
    const port = await freePort();
    updateSettings(core.settings, (current) => ({ ...current, station: { ...current.station, port } }));
    await occupy(port);
    await expect(startStationKeepingPort(core, '127.0.0.1', port, false)).rejects.toThrow(`Port ${port} is already in use`);
    expect(core.settings.read().station.port).toBe(port);
  });
});

/*
 * `racedesk station devices|revoke|promote|pair` in a child process, on the data folder of a
 * station serving in this one: what the commands change is what the station enforces next.
 */

const racedesk = (dataDir: string, args: string[]) => runRacedesk({ dataDir }, args);

describe('racedesk station devices, pair, promote, revoke', () => {
  it('pairs a device with a printed code, lists it, makes it an admin and back, and revokes it', async () => {
    const core = testCore();
    const station = await startStationServer({ core, port: 0 });
    cleanups.push(() => station.close());
    const status = (token: string, name: string) =>
      fetch(`${station.origin}/api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{}' }).then((r) => r.status);

    const paired = await racedesk(core.dataDir, ['station', 'pair']);
    expect(paired.code).toBe(0);
    const code = paired.stdout.split('\n')[0];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(paired.stdout).toContain(`/?pair=${code}`);
    expect(paired.stdout).toContain('other devices cannot join');
    const joined = await fetch(`${station.origin}/api/pair`, { method: 'POST', body: JSON.stringify({ code, deviceName: 'Table 3' }) });
    const { token } = ((await joined.json()) as { value: { token: string } }).value;
    expect(await status(token, 'pickup.counters')).toBe(200);
    expect(await status(token, 'station.info')).toBe(403);

    const listed = await racedesk(core.dataDir, ['--json', 'station', 'devices']);
    const devices = JSON.parse(listed.stdout) as Array<{ deviceId: string; name: string; role: string; revokedAt: string | null }>;
    const table3 = devices.find((d) => d.name === 'Table 3')!;
    expect(table3).toMatchObject({ role: 'venue', revokedAt: null });
    const human = await racedesk(core.dataDir, ['station', 'devices']);
    expect(human.stdout).toMatch(new RegExp(`${table3.deviceId}\\s+Table 3\\s+check-in table`));

    const promoted = await racedesk(core.dataDir, ['station', 'promote', table3.deviceId.slice(0, 8)]);
    expect(promoted.stdout.trim()).toBe(`“Table 3” (${table3.deviceId}) is an admin.`);
    expect(await status(token, 'station.info')).toBe(200);
    const demoted = await racedesk(core.dataDir, ['station', 'promote', table3.deviceId, '--venue']);
    expect(demoted.code).toBe(0);
    expect(await status(token, 'station.info')).toBe(403);

    const revoked = await racedesk(core.dataDir, ['station', 'revoke', table3.deviceId]);
    expect(revoked.stdout).toContain('is removed since');
    expect(await status(token, 'pickup.counters')).toBe(401);
    const again = await racedesk(core.dataDir, ['station', 'promote', table3.deviceId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was removed from the station; it has to join again');
  });

  it('an --admin code joins an admin device; an unknown id is named as such', async () => {
    const core = testCore();
    const station = await startStationServer({ core, port: 0 });
    cleanups.push(() => station.close());
    const paired = await racedesk(core.dataDir, ['--json', 'station', 'pair', '--admin']);
    const { shortCode, role } = JSON.parse(paired.stdout) as { shortCode: string; role: string };
    expect(role).toBe('admin');
    const joined = await fetch(`${station.origin}/api/pair`, { method: 'POST', body: JSON.stringify({ code: shortCode, deviceName: 'Crew chief' }) });
    expect(((await joined.json()) as { value: { role: string } }).value.role).toBe('admin');

    const unknown = await racedesk(core.dataDir, ['station', 'revoke', 'no-such-device']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No device with the id "no-such-device" joined this station; `racedesk station devices` lists them.');
  });
});
