import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { registerStationControl } from '../../../src-main/core/station-access/control.ts';
import { startStationServer, type RunningStation } from '../../../src-main/station/server.ts';
import { joinStation, makeStaticDir } from '../../helpers/station.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('station settings and switch', () => {
  let core: TestCore;
  let station: RunningStation | null;
  let statics: ReturnType<typeof makeStaticDir>;

  beforeEach(() => {
    core = createTestCore();
    statics = makeStaticDir();
    station = null;
    // What the desktop shell registers: the real station server, started and stopped on demand.
    registerStationControl(core, {
      start: async ({ host, port }) => {
        station = await startStationServer({ core, host, port, staticDir: statics.dir });
      },
      stop: async () => {
        await station?.close();
        station = null;
      },
    });
  });
  afterEach(async () => {
    await station?.close();
    core.cleanup();
    statics.remove();
  });

  it('switches the station on at the chosen address and off again, and remembers the choice', async () => {
    const port = await freePort();
    const on = await call(core, 'station.configure', { enabled: true, host: '127.0.0.1', port });
    expect(on).toMatchObject({ enabled: true, running: true, controllable: true, port });
    const info = await call(core, 'station.info', {});
    expect(info.url).toBe(`http://127.0.0.1:${port}/?pair=${info.shortCode}`);
    const admin = await joinStation(core, `http://127.0.0.1:${port}`, 'Office', 'admin');
    const answer = await fetch(`http://127.0.0.1:${port}/api/call/station.settings`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` }, body: '{}' });
    expect(await answer.json()).toMatchObject({ ok: true, value: { running: true } });

    const off = await call(core, 'station.configure', { enabled: false });
    expect(off).toMatchObject({ enabled: false, running: false });
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect(core.settings.read().station).toMatchObject({ enabled: false, port });
  });

  it('says which port is taken and leaves the switch off', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await dispatch(core, 'station.configure', { enabled: true, host: '127.0.0.1', port });
      expect(result).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`127.0.0.1:${port}`) } });
      expect(core.settings.read().station.enabled).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('refuses a port below 1024 and a malformed host', async () => {
    expect(await dispatch(core, 'station.configure', { port: 80 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch(core, 'station.configure', { host: 'not a host!' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
