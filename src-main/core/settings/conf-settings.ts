import Conf from 'conf';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Settings, type SettingsStore, parseSettingsFile, settingsSchema } from './settings.ts';
import { unreadableFileError } from './file-errors.ts';

const fixBrokenFile = 'Correct it, or move it away to start again from the default settings (accounts and the hub must then be set again).';

/**
 * Plain-Node settings through `conf`, the library electron-store is built on. Same folder and
 * file name (config.json) as electron-store's default inside the app's userData folder.
 */
export function createConfSettings(dataDir: string): SettingsStore {
  const path = join(dataDir, 'config.json');
  // The data folder holds participants' details: for this user only (conf would make it 0755).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const readFile = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      throw unreadableFileError(path, error, fixBrokenFile);
    }
  };
  const conf = readFile(
    () =>
      new Conf<Record<string, unknown>>({
        cwd: dataDir,
        configName: 'config',
        projectName: 'racedesk',
        configFileMode: 0o600,
        // electron-store writes JSON with tabs by default; keep the files byte-compatible.
        serialize: (value) => JSON.stringify(value, null, '\t'),
      }),
  );
  return {
    path: conf.path,
    read: () => parseSettingsFile(conf.path, readFile(() => conf.store)),
    write: (settings: Settings) => {
      conf.store = settingsSchema.parse(settings) as Record<string, unknown>;
    },
  };
}
