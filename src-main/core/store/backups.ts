import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { nativeBindingOf, type Db } from './database.ts';

/*
 * Automatic backups of the local database: a consistent, compacted copy made with VACUUM INTO
 * (readers and writers go on meanwhile), before syncs and hourly while the
 * app or a station runs. They sit in backups/ beside the database, newest kept, so a database
 * that a bad day damaged (a disk that filled, a laptop that died mid-write) can be replaced by
 * one at most an hour old; what the hub already has is pushed again from there.
 */
export const keptBackups = 10;
export const backupEveryMs = 3_600_000;
/** A watch syncs every minute on race day: a copy per sync would be a copy per minute. */
export const backupBeforeSyncAfterMs = 15 * 60_000;

const backupName = /^racedesk-(\d{8}T\d{6}\.\d{3}Z)\.sqlite$/;

export function backupsFolder(databasePath: string): string {
  return join(dirname(databasePath), 'backups');
}

export interface Backup {
  path: string;
  takenAt: string;
}

/** The backups of this database, newest first. */
export function listBackups(databasePath: string): Backup[] {
  let names: string[];
  try {
    names = readdirSync(backupsFolder(databasePath));
  } catch {
    return [];
  }
  return names
    .map((name) => backupName.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ path: join(backupsFolder(databasePath), match[0]), takenAt: fromStamp(match[1]) }))
    .sort((a, b) => b.takenAt.localeCompare(a.takenAt));
}

export function newestBackup(databasePath: string): Backup | null {
  return listBackups(databasePath)[0] ?? null;
}

/*
 * VACUUM INTO reads the whole database and writes a compacted copy: seconds for a store of
 * 50,000 participants. Run on the caller's connection it held the core host's event loop that
 * long, with every window and venue device waiting. A worker thread runs it on a connection of
 * its own instead; WAL gives that connection one consistent state of the file while the caller's
 * connection goes on reading and writing.
 */
const vacuumIntoWorker = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.database, { fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
try {
  db.prepare('VACUUM INTO ?').run(workerData.target);
} finally {
  db.close();
}
`;
const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');

function vacuumIntoOffThread(db: Db, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(vacuumIntoWorker, {
      eval: true,
      workerData: { module: sqliteModule, database: db.name, target, nativeBinding: nativeBindingOf(db) },
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the backup's worker thread stopped with code ${code}`))));
  });
}

/** Copies the database into backups/ and removes all but the newest `keep`. Returns the new backup. */
export async function backupDatabase(db: Db, options: { now?: Date; keep?: number } = {}): Promise<Backup> {
  const now = options.now ?? new Date();
  const folder = backupsFolder(db.name);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, `racedesk-${toStamp(now)}.sqlite`);
  // Written under another name first: a copy cut short (disk full, power) is never taken for a backup.
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  try {
    await vacuumIntoOffThread(db, partial);
    chmodSync(partial, 0o600);
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  for (const old of listBackups(db.name).slice(options.keep ?? keptBackups)) rmSync(old.path, { force: true });
  return { path, takenAt: now.toISOString() };
}

/** A backup unless the newest is younger than `afterMs`; a failed copy is reported, never thrown: the work it precedes goes on. */
export async function backupIfDue(db: Db, log: { warn(message: string, ...details: unknown[]): void }, afterMs: number, now = new Date()): Promise<Backup | null> {
  if (db.name === ':memory:' || db.memory) return null;
  const newest = newestBackup(db.name);
  if (newest && now.getTime() - Date.parse(newest.takenAt) < afterMs) return null;
  try {
    return await backupDatabase(db, { now });
  } catch (error) {
    log.warn(`Automatic backup of ${db.name} into ${backupsFolder(db.name)} failed: ${(error as Error).message}`);
    return null;
  }
}

export interface AutomaticBackups {
  /** Resolves once the backups due so far are written. */
  idle(): Promise<void>;
  /** No more backups; resolves once the one being written (if any) is done. */
  stop(): Promise<void>;
}

/** Hourly backups while the app or a station runs (one at start when the newest is older), one at a time. */
export function startAutomaticBackups(db: Db, log: { warn(message: string, ...details: unknown[]): void }, everyMs = backupEveryMs): AutomaticBackups {
  let running: Promise<unknown> = backupIfDue(db, log, everyMs);
  const timer = setInterval(() => {
    // The hour is read now: the backup may start later, after the one before it.
    const now = new Date();
    running = running.then(() => (db.open ? backupIfDue(db, log, everyMs - 1_000, now) : null));
  }, everyMs);
  timer.unref();
  return {
    idle: async () => {
      await running;
    },
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** Names the newest backup and how to go back to it, for messages about a damaged or lost database. */
export function offerBackup(databasePath: string): string {
  const backup = newestBackup(databasePath);
  if (!backup) return `There is no automatic backup in ${backupsFolder(databasePath)}.`;
  return (
    `The newest automatic backup is ${backup.path} (taken ${backup.takenAt}): to go back to it, close RaceDesk, ` +
    `move ${basename(databasePath)} (and any ${basename(databasePath)}-wal) out of ${dirname(databasePath)} and copy the backup there as ${basename(databasePath)}; ` +
    'changes made after the backup and not yet pushed to the hub are lost.'
  );
}

const toStamp = (date: Date) => date.toISOString().replace(/[-:]/g, '');
const fromStamp = (stamp: string) =>
  `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13)}`;
