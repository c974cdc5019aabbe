import { app, BrowserWindow, ipcMain } from 'electron';
import { createCore, type Core } from '../core/core.ts';
import { createKeychain } from '../core/credentials/keychain.ts';
import { dispatch } from '../core/api/dispatch.ts';
import { Scheduler } from '../core/sync/scheduler.ts';
import { startHubAutoPush, stopHubAutoPush } from '../core/hub/auto-push.ts';
import { startAutomaticBackups } from '../core/store/backups.ts';
import { eventChannel, invokeChannel } from '../../src-preload/bridge.ts';
import { createElectronSettings } from './settings-store.ts';
import { createMainWindow } from './window.ts';
import { join } from 'node:path';
import { startStationServer, type RunningStation } from '../station/server.ts';
import { registerStationControl } from '../core/station-access/control.ts';

// The shell only relays: IPC in, dispatch through the one handler map, events out.
let core: Core | null = null;
let scheduler: Scheduler | null = null;
let stopBackups: (() => void) | null = null;

app.whenReady().then(() => {
  core = createCore({
    dataDir: app.getPath('userData'),
    settings: createElectronSettings(),
    credentials: createKeychain(),
    log: console,
    stationName: 'Desktop',
  });
  // The same background work as a station: keep watched events fresh, push to the hub when it is reachable.
  scheduler = new Scheduler(core);
  scheduler.start();
  startHubAutoPush(core);
  stopBackups = startAutomaticBackups(core.db, core.log);
  serveStationOnDemand(core);
  const window = createMainWindow();

  ipcMain.handle(invokeChannel, (event, name: unknown, input: unknown) => {
    // Only our own window's top frame may call the core.
    if (event.senderFrame !== window.webContents.mainFrame || !core) {
      return { ok: false, error: { code: 'unauthorized', message: 'Call refused: not from the RaceDesk window.' } };
    }
    return dispatch(core, String(name), input);
  });
  core.events.onAny((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(eventChannel, name, payload);
  });
});

app.on('window-all-closed', async () => {
  if (core) {
    stopBackups?.();
    stopHubAutoPush(core);
    // Lets a running sync reach a page boundary, so what it fetched is stored.
    await scheduler?.stop();
    core.close();
  }
  core = null;
  app.quit();
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0 && core) createMainWindow();
});

/** The Settings switch "serve other devices": the same station server `racedesk station` runs. */
function serveStationOnDemand(current: Core): void {
  let station: RunningStation | null = null;
  const control = {
    async start({ host, port }: { host: string; port: number }) {
      station = await startStationServer({ core: current, host, port, staticDir: join(__dirname, '../renderer') });
    },
    async stop() {
      await station?.close();
      station = null;
    },
  };
  registerStationControl(current, control);
  const { station: settings } = current.settings.read();
  if (settings.enabled) {
    control.start(settings).catch((error) => current.log.error('The station could not start', error));
  }
  app.on('before-quit', () => void control.stop());
}
