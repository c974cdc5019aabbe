import Store from 'electron-store';
import { type Settings, type SettingsStore, parseSettingsFile, settingsSchema } from '../core/settings/settings.ts';

/** Settings inside Electron: electron-store's config.json in userData, the same file the CLI reads through conf. */
export function createElectronSettings(): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'config' });
  return {
    path: store.path,
    read: () => parseSettingsFile(store.path, store.store),
    write: (settings: Settings) => {
      store.store = settingsSchema.parse(settings) as Record<string, unknown>;
    },
  };
}
