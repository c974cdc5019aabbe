import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { RaceDeskError } from '../errors.ts';
import { foldForSearch, nameKey, phoneDigits } from './sql-fold.ts';
import { migrations as defaultMigrations } from './migrations/index.ts';
import type { Migration } from './migrations/types.ts';
import { pendingMigrations, type LedgerEntry } from './migration-ledger.ts';
import { offerBackup } from './backups.ts';
import { dropLocalViews, ensureLocalViews } from './views.ts';
import { installOutboxTriggers } from './outbox-triggers.ts';
import { restoreDeferredIndexes } from './deferred-indexes.ts';

export type Db = Database.Database;

const bindings = new WeakMap<Db, string>();

/** The native binding a connection was opened with, for another connection to the same file (a backup's worker). */
export function nativeBindingOf(db: Db): string | undefined {
  return bindings.get(db);
}

/** Opens (creating if needed) the local store and brings it to the newest schema. */
export function openDatabase(path: string, options: { migrations?: readonly Migration[]; nativeBinding?: string } = {}): Db {
  const found = path === ':memory:' ? null : prepareFile(path);
  let db: Db;
  try {
    // The desktop app passes the binding built for Electron's ABI; Node (CLI, station, tests) keeps node_modules' own.
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    if (options.nativeBinding) bindings.set(db, options.nativeBinding);
  } catch (error) {
    throw damaged(path, error);
  }
  try {
    if (found !== null) keepPrivate(path);
    if (found?.size === 0) refuseIfLost(db);
    configureConnection(db);
    // A bulk load killed midway left indexes to build; the migrations then find the schema they expect.
    restoreDeferredIndexes(db);
    migrate(db, options.migrations ?? defaultMigrations);
    return db;
  } catch (error) {
    db.close();
    throw damaged(path, error);
  }
}

/** The data folder (created for this user only) and what is already at `path`: null for a new file. */
function prepareFile(path: string): { size: number } | { size: null } {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    return { size: statSync(path).size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { size: null };
    throw error;
  }
}

/** Only its user may read the file (participants' contact details); SQLite gives the -wal and -shm files the same mode. */
function keepPrivate(path: string): void {
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    // A file another user owns (a folder shared on purpose) keeps the mode that user chose.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

/** SQLite's words for a file that is not (or no longer) a whole database. */
function damaged(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return error;
  return new RaceDeskError(
    'database_error',
    `The database ${path} is damaged (${(error as Error).message}); RaceDesk did not open or change it. ${offerBackup(path)}`,
  );
}

function configureConnection(db: Db): void {
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Several processes (CLI, station, app) share one file: wait for a writer instead of failing.
  db.pragma('busy_timeout = 10000');
  // The search index's INSERT OR REPLACE spills to temporary files otherwise: a third of an ingest's time.
  db.pragma('temp_store = MEMORY');
  // A sync commits every slice of 100 rows, each dirtying a page of every index it touches (about
  // 11 per runner): at the default 1,000 pages a checkpoint, with its two fsyncs, ran almost every
  // commit. 10,000 pages (a WAL of up to 40 MB) made 85% fewer fsyncs (docs/performance-ingest.md).
  db.pragma('wal_autocheckpoint = 10000');
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

/*
 * Applied migrations are recorded by version and name in schema_migrations (the ledger), and
 * PRAGMA user_version mirrors the newest one. A database from before the ledger has only
 * user_version: it is adopted on first open as having every listed migration up to that version,
 * which is what the old runner had applied to it. The views are no migration's: they are dropped
 * before pending migrations and created from their one definition after (store/views.ts).
 */
export function migrate(db: Db, list: readonly Migration[]): void {
  // BEGIN IMMEDIATE: two processes opening the same new file must not both migrate it.
  const run = db.transaction(() => {
    const pending = pendingMigrations(list, appliedMigrations(db, list), {
      name: `The database ${db.name}`,
      whenNewer: 'Update RaceDesk, or point --data-dir at another folder.',
    });
    const record = db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ'))`);
    if (pending.length > 0) dropLocalViews(db);
    for (const migration of pending) {
      db.exec(migration.up);
      migration.then?.(db);
      record.run(migration.version, migration.name);
      db.pragma(`user_version = ${migration.version}`);
    }
    ensureLocalViews(db);
    installOutboxTriggers(db);
  });
  run.immediate();
}

function appliedMigrations(db: Db, list: readonly Migration[]): LedgerEntry[] {
  const hasLedger = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).get() !== undefined;
  if (hasLedger) {
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as LedgerEntry[];
    const mirrored = schemaVersion(db);
    // user_version beyond the ledger: a newer RaceDesk, or a tool that set it by hand.
    return mirrored > (applied.at(-1)?.version ?? 0) ? [...applied, { version: mirrored, name: '(recorded only in user_version)' }] : applied;
  }
  db.exec(`CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- NULL: adopted from user_version, applied before the ledger existed at a time nobody recorded.
    applied_at TEXT
  ) STRICT`);
  const version = schemaVersion(db);
  const adopted = list.filter((migration) => migration.version <= version).map(({ version, name }) => ({ version, name }));
  if (version > (adopted.at(-1)?.version ?? 0)) adopted.push({ version, name: '(recorded only in user_version)' });
  const record = db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, NULL)`);
  for (const entry of adopted) if (list.some((migration) => migration.version === entry.version)) record.run(entry.version, entry.name);
  return adopted;
}

/*
 * A database file is never 0 bytes once RaceDesk wrote it: its content was lost (a disk that
 * filled, a copy cut short). Migrating would make it a new, empty database where the data was.
 * Looked at again once open, before anything writes to it: a process that has just created the
 * same new file writes its header first thing, and then the file is no longer empty.
 */
function refuseIfLost(db: Db): void {
  if (statSync(db.name).size > 0) return;
  throw new RaceDeskError(
    'database_error',
    `The database ${db.name} is empty (0 bytes): its data was lost, and RaceDesk did not create a new one in its place. ` +
      `${offerBackup(db.name)} To start with a new, empty database instead, delete ${db.name}.`,
  );
}
