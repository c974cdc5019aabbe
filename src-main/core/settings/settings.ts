import { z } from 'zod';
import { providerNames } from '../providers/types.ts';
import { stationScopeSchema } from '../lookup/scope.ts';
import { invalidFileError } from './file-errors.ts';

/*
 * Non-secret settings, shared by the desktop app (electron-store) and the CLI / station (conf):
 * both libraries read and write the same config.json in the data folder, with this schema.
 * Secrets never live here; they are in the OS keychain (credentials/keychain.ts).
 */
export const providerAccountSchema = z.object({
  provider: z.enum(providerNames),
  label: z.string().min(1).max(100),
  baseUrl: z.string().url().optional(),
});
export type ProviderAccount = z.infer<typeof providerAccountSchema>;

export const settingsSchema = z.object({
  partner: z.object({ id: z.number().int().positive(), name: z.string().min(1) }).nullable().default(null),
  accounts: z.array(providerAccountSchema).default([]),
  /** A default sync covers upcoming events and those that started up to this many days ago. */
  syncPastDays: z.number().int().min(0).max(3650).default(30),
  /** Hub connection without password, e.g. postgres://racedesk_p1@hub.example.com:5432/hub?sslmode=require */
  hub: z
    .object({ url: z.string().min(1), caFile: z.string().optional() })
    .nullable()
    .default(null),
  station: z
    .object({
      name: z.string().min(1).default('Station 1'),
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(4888),
      /** The desktop app serves its screens to the venue network while this is on. */
      enabled: z.boolean().default(false),
    })
    .default({ name: 'Station 1', host: '127.0.0.1', port: 4888, enabled: false }),
  /** The events this laptop's pickup table serves (lookup/scope.ts); empty is every event. */
  pickupScope: stationScopeSchema.default([]),
  /** The Results screen's watched folder (results/results-watch.ts), watched again at every start; null: off. */
  resultsWatch: z
    .object({ event: z.string().min(1), provider: z.string().min(1).optional(), folder: z.string().min(1) })
    .nullable()
    .default(null),
  /** The desktop app checks this electron-updater feed (a `generic` provider URL) at start; null: never. */
  updates: z.object({ feedUrl: z.string().url().nullable().default(null) }).default({ feedUrl: null }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const fixSettingsFile = 'Correct that key in the file, or delete the key to get its default.';

/** The settings in a file, checked against the schema; a value that fails is named in one line. */
export function parseSettingsFile(path: string, content: unknown): Settings {
  const parsed = settingsSchema.safeParse(content);
  if (!parsed.success) throw invalidFileError(path, parsed.error, fixSettingsFile);
  return parsed.data;
}

export interface SettingsStore {
  read(): Settings;
  write(settings: Settings): void;
  /** The file both shells share, for the README and `racedesk status`. */
  readonly path: string;
}

export function updateSettings(store: SettingsStore, change: (current: Settings) => Settings): Settings {
  const next = settingsSchema.parse(change(store.read()));
  store.write(next);
  return next;
}
