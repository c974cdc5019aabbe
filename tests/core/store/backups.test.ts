import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { backupDatabase, backupsFolder, keptBackups, listBackups, startAutomaticBackups } from '../../../src-main/core/store/backups.ts';

const dirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-backups-'));
  dirs.push(dir);
  return join(dir, 'data');
}
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database with enough rows to span many pages, so a cut-off file loses some. */
function withRows(path: string, rows = 5_000): Db {
  const db = openDatabase(path);
  db.prepare(`INSERT INTO runsignup_events (event_id, race_id, name) VALUES (1, 10, '5K')`).run();
  const insert = db.prepare(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES (10, 1, ?, 'Ann', 'Lee', ?)`);
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i, String(i));
  })();
  return db;
}

const participants = (path: string) => {
  const db = new Database(path, { readonly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM runsignup_participants').get() as { n: number };
  db.close();
  return n;
};

describe('automatic backups', () => {
  it('copy the whole database into backups/, readable by this user only, keeping the newest ten', async () => {
    const path = join(tempDataDir(), 'racedesk.sqlite');
    const db = withRows(path);
    const start = Date.parse('2026-05-10T06:00:00.000Z');
    for (let i = 0; i < keptBackups + 3; i++) await backupDatabase(db, { now: new Date(start + i * 3_600_000) });
    const backups = listBackups(path);
    expect(backups).toHaveLength(keptBackups);
    expect(backups[0].takenAt).toBe(new Date(start + (keptBackups + 2) * 3_600_000).toISOString());
    expect(backups.at(-1)?.takenAt).toBe(new Date(start + 3 * 3_600_000).toISOString());
    expect(readdirSync(backupsFolder(path)).filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(participants(backups[0].path)).toBe(5_000);
    expect(statSync(backups[0].path).mode & 0o777).toBe(0o600);
    expect(statSync(backupsFolder(path)).mode & 0o777).toBe(0o700);
    db.close();
  });

  it('run hourly while the app or a station runs, and once at start', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-05-10T06:00:00.000Z'), toFake: ['setInterval', 'clearInterval', 'Date'] });
    const path = join(tempDataDir(), 'racedesk.sqlite');
    const db = withRows(path, 10);
    const warnings: string[] = [];
    const backups = startAutomaticBackups(db, { warn: (message) => warnings.push(message) });
    await backups.idle();
    expect(listBackups(path).map((b) => b.takenAt)).toEqual(['2026-05-10T06:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(3_599_000);
    await backups.idle();
    expect(listBackups(path)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000 + 3_600_000);
    await backups.idle();
    expect(listBackups(path).map((b) => b.takenAt)).toEqual(['2026-05-10T08:00:00.000Z', '2026-05-10T07:00:00.000Z', '2026-05-10T06:00:00.000Z']);
    await backups.stop();
    await vi.advanceTimersByTimeAsync(3 * 3_600_000);
    await backups.idle();
    expect(listBackups(path)).toHaveLength(3);
    expect(warnings).toEqual([]);
    db.close();
  });

  it('are written off the event loop, on a connection of their own, while this one goes on writing', async () => {
    const path = join(tempDataDir(), 'racedesk.sqlite');
    const db = withRows(path);
    let turns = 0;
    let done = false;
    const watch = () => {
      if (done) return;
      turns += 1;
      setImmediate(watch);
    };
    const backup = backupDatabase(db);
    watch();
    // A write from this connection while the copy is made: it neither waits nor breaks the copy.
    db.prepare(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES (10, 1, 9999, 'Bo', 'Ng', '9999')`).run();
    try {
      expect(participants((await backup).path)).toBeGreaterThanOrEqual(5_000);
    } finally {
      done = true;
    }
    expect(turns).toBeGreaterThan(1);
    db.close();
  });
});

describe('a database that a bad day damaged', () => {
  it('cut off (truncated): named, left as it is, and the newest backup offered', async () => {
    const path = join(tempDataDir(), 'racedesk.sqlite');
    const db = withRows(path);
    const backup = await backupDatabase(db, { now: new Date('2026-05-10T07:00:00.000Z') });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const half = Math.floor(statSync(path).size / 2);
    truncateSync(path, half);
    expect(() => openDatabase(path)).toThrow(
      `The database ${path} is damaged (database disk image is malformed); RaceDesk did not open or change it. The newest automatic backup is ${backup.path} (taken 2026-05-10T07:00:00.000Z): to go back to it, close RaceDesk, move racedesk.sqlite (and any racedesk.sqlite-wal) out of`,
    );
    expect(statSync(path).size).toBe(half);
  });

  it('not a database at all: named, with no backup to offer when there is none', () => {
    const path = join(tempDataDir(), 'racedesk.sqlite');
    openDatabase(path).close();
    writeFileSync(path, 'PK\u0003\u0004 a zip file copied over the database'.repeat(200));
    expect(() => openDatabase(path)).toThrow(
      `The database ${path} is damaged (file is not a database); RaceDesk did not open or change it. There is no automatic backup in ${backupsFolder(path)}.`,
    );
  });

  it('zero bytes: refused instead of silently becoming a new, empty database', async () => {
    const path = join(tempDataDir(), 'racedesk.sqlite');
    const db = withRows(path, 10);
    await backupDatabase(db);
    db.close();
    writeFileSync(path, '');
    expect(() => openDatabase(path)).toThrow(/^The database .*racedesk\.sqlite is empty \(0 bytes\): its data was lost, and RaceDesk did not create a new one in its place\. The newest automatic backup is .*To start with a new, empty database instead, delete /);
    expect(statSync(path).size).toBe(0);
    // The crew's choice: delete it, and a new database is made.
    rmSync(path);
    openDatabase(path).close();
  });

  it('a new data folder is created for this user only (0700), the database and its WAL 0600', () => {
    const dataDir = tempDataDir();
    const path = join(dataDir, 'racedesk.sqlite');
    const db = openDatabase(path);
    db.prepare(`INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (1, 'Acme')`).run();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });
});
