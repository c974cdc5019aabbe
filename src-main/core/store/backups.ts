import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from './database.ts';

/*
 * Automatic backups of the local database: a consistent, compacted copy made with VACUUM INTO
 * (readers and writers of other processes go on meanwhile), before syncs and hourly while the
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

/** Copies the database into backups/ and removes all but the newest `keep`. Returns the new backup. */
export function backupDatabase(db: Db, options: { now?: Date; keep?: number } = {}): Backup {
  const now = options.now ?? new Date();
  const folder = backupsFolder(db.name);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, `racedesk-${toStamp(now)}.sqlite`);
  // Written under another name first: a copy cut short (disk full, power) is never taken for a backup.
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    chmodSync(partial, 0o600);
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  for (const old of listBackups(db.name).slice(options.keep ?? keptBackups)) rmSync(old.path, { force: true });
  return { path, takenAt: now.toISOString() };
}

/** A backup unless the newest is younger than `afterMs`; a failed copy is reported, never thrown: the work it precedes goes on. */
export function backupIfDue(db: Db, log: { warn(message: string, ...details: unknown[]): void }, afterMs: number, now = new Date()): Backup | null {
  if (db.name === ':memory:' || db.memory) return null;
  const newest = newestBackup(db.name);
  if (newest && now.getTime() - Date.parse(newest.takenAt) < afterMs) return null;
  try {
    return backupDatabase(db, { now });
  } catch (error) {
    log.warn(`Automatic backup of ${db.name} into ${backupsFolder(db.name)} failed: ${(error as Error).message}`);
    return null;
  }
}

/** Hourly backups while the app or a station runs (one at start when the newest is older). Returns the stop function. */
export function startAutomaticBackups(db: Db, log: { warn(message: string, ...details: unknown[]): void }, everyMs = backupEveryMs): () => void {
  backupIfDue(db, log, everyMs);
  const timer = setInterval(() => {
    if (db.open) backupIfDue(db, log, everyMs - 1_000);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
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
