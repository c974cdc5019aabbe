import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShell, type ShellDeps } from '../../src-main/electron/shell.ts';
import { eventChannel, invokeChannel } from '../../src-preload/bridge.ts';
import { openDatabase } from '../../src-main/core/store/database.ts';
import { forgetSecrets, forkTestHost, type TestHost } from '../helpers/core-host.ts';
import { startProviderSimulator } from '../../src-main/simulators/registry.ts';
import { FakeApp, FakeIpcMain, FakeWindow } from './fake-electron.ts';

// The desktop shell's wiring with small fakes of Electron's app and ipcMain, over a real core host process.
const hosts: TestHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.cleanup();
});

function shell(options: { platform?: NodeJS.Platform; hasLock?: boolean; prepare?: (host: TestHost) => void } = {}) {
  const app = new FakeApp(options.hasLock ?? true);
  const ipcMain = new FakeIpcMain();
  const windows: FakeWindow[] = [];
  const dialogs: Array<{ title: string; message: string }> = [];
  const host = forkTestHost();
  hosts.push(host);
  options.prepare?.(host);
  let hostStarted = 0;
  const deps: ShellDeps = {
    app,
    ipcMain,
    platform: options.platform ?? 'linux',
    showErrorBox: (title, message) => dialogs.push({ title, message }),
    createWindow: () => {
      const window = new FakeWindow();
      windows.push(window);
      return window;
    },
    startHost: () => {
      hostStarted += 1;
      return host.client;
    },
    hostOptions: () => ({ dataDir: host.dataDir }),
  };
  const running = runShell(deps);
  return { app, ipcMain, windows, dialogs, host, running, hostStarts: () => hostStarted };
}

describe('desktop shell', () => {
  it('relays calls from its own window to the core host and refuses any other sender', async () => {
    const { ipcMain, windows, running } = shell();
    expect(await running.ready).toBe('started');
    expect(windows).toHaveLength(1);
    const own = await ipcMain.invoke(invokeChannel, windows[0].webContents.mainFrame, 'partner.set', { id: 7, name: 'Relay Timing' });
    expect(own).toMatchObject({ ok: true });
    const subframe = await ipcMain.invoke(invokeChannel, { frame: 'an iframe' }, 'partner.get', {});
    expect(subframe).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Call refused: not from the RaceDesk window.' } });
  });

  it("sends the core's events to every open window", async () => {
    const { ipcMain, windows, running, host } = shell();
    await running.ready;
    const sim = await startProviderSimulator('runsignup', { size: 'small', seed: 4 });
    try {
      const frame = windows[0].webContents.mainFrame;
      await ipcMain.invoke(invokeChannel, frame, 'accounts.add', { provider: 'runsignup', label: 'main', baseUrl: sim.url, secret: sim.credential });
      expect(await ipcMain.invoke(invokeChannel, frame, 'sync.run', { provider: 'runsignup', account: 'main' })).toMatchObject({ ok: true });
      expect(windows[0].sent.some(([channel, name]) => channel === eventChannel && name === 'sync.progress')).toBe(true);
    } finally {
      await sim.close();
      await forgetSecrets(host, ['runsignup:main']);
    }
  });

  it('shows a start-up failure as a dialog naming the fix, opens no window and exits with 1', async () => {
    const { app, windows, dialogs, running } = shell({
      prepare: (host) => {
        const db = openDatabase(join(host.dataDir, 'racedesk.sqlite'));
        db.pragma('user_version = 9999');
        db.close();
      },
    });
    expect(await running.ready).toBe('failed');
    expect(dialogs).toEqual([{ title: 'This database is from a newer RaceDesk', message: expect.stringContaining('Update RaceDesk') }]);
    expect(windows).toHaveLength(0);
    expect(await app.ended()).toBe(1);
  });

  // The Secret Service is Linux's keychain; macOS and Windows always have theirs.
  it.runIf(process.platform === 'linux')("shows the main process's missing OS keychain as the start-up dialog: the host's probe asks main", async () => {
    // A session bus with no Secret Service answers reads with "no entry" but refuses writes;
    // no session bus at all refuses both. Both must stop the start.
    for (const DBUS_SESSION_BUS_ADDRESS of ['unix:path=/nonexistent/racedesk-bus', undefined]) {
      const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS };
      if (DBUS_SESSION_BUS_ADDRESS === undefined) delete env.DBUS_SESSION_BUS_ADDRESS;
      expect(await shellInProcessOfItsOwn(env)).toEqual({
        ready: 'failed',
        dialogs: [{ title: 'No OS keychain available', message: expect.stringContaining('Start or unlock it and try again') }],
        exitCode: 1,
      });
    }
  });

  it('quits after the last window closes: the host finishes and closes the database before the app ends', async () => {
    const { app, windows, running, host } = shell();
    await running.ready;
    const order: string[] = [];
    void host.client.exited.then((code) => order.push(`host exited ${code}`));
    void app.ended().then((code) => order.push(`app ended ${code}`));
    windows[0].close();
    app.emit('window-all-closed');
    await app.ended();
    expect(order).toEqual(['host exited 0', 'app ended 0']);
    // The first quit was held for the host; the second, after it, went through.
    expect(app.calls).toEqual(['quit', 'quit', 'exit 0']);
  });

  it('shows a dialog and exits with 1 when the core host dies after start-up', async () => {
    const { app, dialogs, running, host } = shell();
    await running.ready;
    process.kill(host.pid!, 'SIGKILL');
    expect(await app.ended()).toBe(1);
    expect(dialogs).toEqual([{ title: 'The RaceDesk core stopped', message: expect.stringContaining('Start RaceDesk again') }]);
  });

  it('keeps running on macOS when the last window closes, and reopens one on activate', async () => {
    const { app, windows, running } = shell({ platform: 'darwin' });
    await running.ready;
    windows[0].close();
    app.emit('window-all-closed');
    expect(app.calls).toEqual([]);
    app.emit('activate');
    expect(windows).toHaveLength(2);
    app.emit('activate');
    expect(windows).toHaveLength(2);
  });

  it('lets a second launch focus the first window instead of starting another core', async () => {
    const first = shell();
    await first.running.ready;
    first.windows[0].minimized = true;
    first.app.emit('second-instance');
    expect(first.windows[0].minimized).toBe(false);
    expect(first.windows[0].focused).toBe(1);

    const second = shell({ hasLock: false });
    expect(await second.running.ready).toBe('second-instance');
    expect(second.hostStarts()).toBe(0);
    expect(second.windows).toHaveLength(0);
    expect(second.app.calls).toEqual(['quit', 'exit 0']);
  });
});

/** The shell as tests/electron/fixtures/shell-process.ts runs it, with a keychain of `env`'s session. */
async function shellInProcessOfItsOwn(env: NodeJS.ProcessEnv): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'racedesk-shell-'));
  try {
    const fixture = join(import.meta.dirname, 'fixtures', 'shell-process.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, `racedesk-test-${randomUUID()}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    return JSON.parse(stdout);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
