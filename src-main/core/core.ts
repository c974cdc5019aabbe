import { join } from 'node:path';
import { openDatabase, type Db } from './store/database.ts';
import type { SettingsStore } from './settings/settings.ts';
import type { CredentialStore } from './credentials/keychain.ts';
import { forDataFolder } from './credentials/data-folder.ts';
import { EventBus } from './events/event-bus.ts';
import { startHeldResultMatching } from './results/held.ts';

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export interface CoreOptions {
  dataDir: string;
  settings: SettingsStore;
  credentials: CredentialStore;
  log?: Logger;
  /** Name of this station in audit trails (check-ins, bib changes). */
  stationName?: string;
  /** better_sqlite3.node for this runtime when it is not the one in node_modules (Electron's ABI inside the app). */
  sqliteBinding?: string;
  /** Test hooks: faster retries for provider HTTP. */
  httpRetry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number; timeoutMs?: number };
}

/**
 * The core as every shell sees it: paths, the local store, settings and keychain are passed in,
 * so the same core runs under Electron, the station server, the CLI and tests.
 */
export interface Core {
  readonly dataDir: string;
  readonly db: Db;
  readonly settings: SettingsStore;
  readonly credentials: CredentialStore;
  readonly events: EventBus;
  readonly log: Logger;
  readonly options: CoreOptions;
  close(): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function databasePath(dataDir: string): string {
  return join(dataDir, 'racedesk.sqlite');
}

export function createCore(options: CoreOptions): Core {
  const db = openDatabase(databasePath(options.dataDir), { nativeBinding: options.sqliteBinding });
  const closers: Array<() => void> = [];
  const core: Core = {
    dataDir: options.dataDir,
    db,
    settings: options.settings,
    credentials: forDataFolder(options.credentials, options.dataDir),
    events: new EventBus(),
    log: options.log ?? silentLogger,
    options,
    close() {
      for (const close of closers.splice(0)) close();
      if (db.open) db.close();
    },
  };
  // Held result rows of a bib nobody had are written as soon as a runner holds it, in every shell.
  closers.push(startHeldResultMatching(core));
  return core;
}
