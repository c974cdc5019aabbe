import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { startStationKeepingPort } from '../../../src-main/cli/commands/station.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';
import { createTestCore, type TestCore } from '../../helpers/core.ts';

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
