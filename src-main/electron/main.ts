import { app, dialog, ipcMain, MessageChannelMain, utilityProcess } from 'electron';
import { join, resolve } from 'node:path';
import { CoreHostClient } from '../core-host/client.ts';
import type { FromHost, ToHost } from '../core-host/protocol.ts';
import { createConfSettings } from '../core/settings/conf-settings.ts';
import { createKeychain } from '../core/credentials/keychain.ts';
import { createMainWindow } from './window.ts';
import { electronSqliteBinding } from './native-binding.ts';
import { runShell } from './shell.ts';

// As for the CLI, RACEDESK_DATA_DIR chooses another data folder (and with it another single-instance lock).
if (process.env.RACEDESK_DATA_DIR) app.setPath('userData', resolve(process.env.RACEDESK_DATA_DIR));

// The main process keeps windows, menus, dialogs and the OS keychain (it answers the host's keychain
// requests, and the OS's unlock prompt is its own); the core runs in the core host (a utilityProcess).
const keychain = createKeychain(process.env.RACEDESK_KEYCHAIN_SERVICE || undefined);

runShell({
  app,
  ipcMain,
  platform: process.platform,
  showErrorBox: (title, message) => dialog.showErrorBox(title, message),
  createWindow: createMainWindow,
  startHost,
  hostOptions: () => ({
    dataDir: app.getPath('userData'),
    sqliteBinding: electronSqliteBinding({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, arch: process.arch }),
    staticDir: join(__dirname, '../renderer'),
    stationName: 'Desktop',
  }),
  afterStart: () => void checkForUpdates(),
});

function startHost(): CoreHostClient {
  const child = utilityProcess.fork(join(__dirname, 'core-host.js'), [], { serviceName: 'RaceDesk core', stdio: 'inherit' });
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage(null, [port2]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  port1.start();
  return new CoreHostClient(
    {
      postMessage: (message: ToHost) => port1.postMessage(message),
      onMessage: (listener) => port1.on('message', ({ data }) => listener(data as FromHost)),
    },
    exited,
    keychain,
  );
}

/** Off unless Settings name a feed (updates.feedUrl): crews at a venue decide when to update. */
async function checkForUpdates(): Promise<void> {
  const { feedUrl } = createConfSettings(app.getPath('userData')).read().updates;
  if (!feedUrl || !app.isPackaged) return;
  const { autoUpdater } = (await import('electron-updater')).default;
  autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
  await autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => console.warn('Update check failed', error));
}
