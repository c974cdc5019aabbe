import Conf from 'conf';
import { type Settings, type SettingsStore, settingsSchema } from './settings.ts';

/**
 * Plain-Node settings through `conf`, the library electron-store is built on. Same folder and
 * file name (config.json) as electron-store's default inside the app's userData folder.
 */
export function createConfSettings(dataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: 'config',
    projectName: 'racedesk',
    // electron-store writes JSON with tabs by default; keep the files byte-compatible.
    serialize: (value) => JSON.stringify(value, null, '\t'),
  });
  return {
    path: conf.path,
    read: () => settingsSchema.parse(conf.store),
    write: (settings: Settings) => {
      conf.store = settingsSchema.parse(settings) as Record<string, unknown>;
    },
  };
}
