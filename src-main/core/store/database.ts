import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RaceDeskError } from '../errors.ts';
import { foldForSearch, nameKey, phoneDigits } from './sql-fold.ts';
import { migrations as defaultMigrations } from './migrations/index.ts';
import type { Migration } from './migrations/types.ts';

export type Db = Database.Database;

/** Opens (creating if needed) the local store and brings it to the newest schema. */
export function openDatabase(path: string, options: { migrations?: readonly Migration[]; nativeBinding?: string } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // The desktop app passes the binding built for Electron's ABI; Node (CLI, station, tests) keeps node_modules' own.
  const db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    configureConnection(db);
    migrate(db, options.migrations ?? defaultMigrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configureConnection(db: Db): void {
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Several processes (CLI, station, app) share one file: wait for a writer instead of failing.
  db.pragma('busy_timeout = 10000');
  db.function('rd_fold', { deterministic: true }, (value: unknown) =>
    foldForSearch(value === null ? null : String(value)),
  );
  db.function('rd_digits', { deterministic: true }, (value: unknown) =>
    phoneDigits(value === null ? null : String(value)),
  );
  db.function('rd_name_key', { deterministic: true }, (first: unknown, last: unknown) =>
    nameKey(first === null ? null : String(first), last === null ? null : String(last)),
  );
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, list: readonly Migration[]): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i].version <= list[i - 1].version) {
      throw new RaceDeskError('internal', `Migration list out of order at version ${list[i].version}.`);
    }
  }
  const newest = list.length > 0 ? list[list.length - 1].version : 0;
  // BEGIN IMMEDIATE: two processes opening the same new file must not both migrate it.
  const run = db.transaction(() => {
    const current = schemaVersion(db);
    if (current > newest) {
      throw new RaceDeskError(
        'database_too_new',
        `This database was written by a newer RaceDesk (schema version ${current}; this app knows up to ${newest}). ` +
          'Update RaceDesk, or point --data-dir at another folder.',
      );
    }
    for (const migration of list) {
      if (migration.version <= current) continue;
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  run.immediate();
}
