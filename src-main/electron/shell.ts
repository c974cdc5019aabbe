import type { ApiResult } from '../core/api/contract.ts';
import { eventChannel, invokeChannel } from '../../src-preload/bridge.ts';
import { StartupFailedError, type CoreHostClient } from '../core-host/client.ts';
import type { HostStartOptions } from '../core-host/protocol.ts';
import { describeStartupFailure } from '../core-host/startup-failure.ts';

/*
 * The desktop app's wiring, written against the few parts of Electron it uses so that unit
 * tests run it with small fakes: one instance, the core host started before any window, every
 * start-up failure shown as a dialog before exiting, the IPC relay with its sender check, and
 * the shutdown order (windows gone, then the host's background work and database, then exit).
 */

export interface ShellApp {
  whenReady(): Promise<unknown>;
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(code: number): void;
}

export interface ShellIpcMain {
  handle(channel: string, listener: (event: { senderFrame: unknown }, ...args: unknown[]) => unknown): void;
}

export interface ShellWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  once(event: 'closed', listener: () => void): unknown;
  readonly webContents: { readonly mainFrame: unknown; send(channel: string, ...args: unknown[]): void };
}

export interface ShellDeps {
  app: ShellApp;
  ipcMain: ShellIpcMain;
  platform: NodeJS.Platform;
  showErrorBox(title: string, message: string): void;
  createWindow(): ShellWindow;
  /** Spawns the core host (a utilityProcess in the app). */
  startHost(): CoreHostClient;
  hostOptions(): HostStartOptions;
  /** Runs once the core is up (the update check, when a feed is configured). */
  afterStart?(): void;
}

export interface RunningShell {
  /** Settles once start-up has finished: the window is open, or the failure was shown and the app exits. */
  ready: Promise<'started' | 'failed' | 'second-instance'>;
}

const refused: ApiResult<never> = { ok: false, error: { code: 'unauthorized', message: 'Call refused: not from the RaceDesk window.' } };

export function runShell(deps: ShellDeps): RunningShell {
  const { app } = deps;
  // A second launch hands over to the first (which focuses its window) and ends at once.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve('second-instance') };
  }
  const windows = new Set<ShellWindow>();
  let host: CoreHostClient | null = null;
  let quitting = false;
  let closed = false;

  const openWindow = () => {
    const window = deps.createWindow();
    windows.add(window);
    window.once('closed', () => windows.delete(window));
    return window;
  };
  const fail = async (error: unknown, failedHost: CoreHostClient | null) => {
    const failure = error instanceof StartupFailedError ? error.failure : describeStartupFailure(error);
    deps.showErrorBox(failure.title, failure.message);
    await failedHost?.shutdown();
    app.exit(1);
  };

  app.on('second-instance', () => {
    const [window] = [...windows].filter((w) => !w.isDestroyed());
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // macOS keeps an app running with no window until Cmd+Q; elsewhere the last window ends it.
  app.on('window-all-closed', () => {
    if (deps.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (host && windows.size === 0) openWindow();
  });
  app.on('before-quit', (event) => {
    if (closed || !host) return;
    // Hold the quit until the host has let a running sync reach a page boundary and closed the database.
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    void host.shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });

  const ready = (async () => {
    await app.whenReady();
    let started: CoreHostClient | null = null;
    try {
      started = deps.startHost();
      await started.start(deps.hostOptions());
    } catch (error) {
      await fail(error, started);
      return 'failed' as const;
    }
    host = started;
    void started.exited.then((code) => {
      if (quitting) return;
      closed = true;
      void fail(new StartupFailedError({ code: 'unexpected', title: 'The RaceDesk core stopped', message: `The process that holds the database ended (exit code ${code}). Start RaceDesk again; nothing saved before this is lost.` }), null);
    });
    deps.ipcMain.handle(invokeChannel, (event, name, input) => {
      // Only the top frame of our own windows may call the core.
      const fromOurWindow = [...windows].some((w) => !w.isDestroyed() && event.senderFrame === w.webContents.mainFrame);
      return fromOurWindow ? host!.call(String(name), input) : refused;
    });
    started.onEvent((name, payload) => {
      for (const window of windows) if (!window.isDestroyed()) window.webContents.send(eventChannel, name, payload);
    });
    openWindow();
    deps.afterStart?.();
    return 'started' as const;
  })();
  return { ready };
}
