import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { watchResultsFolder, type FolderWatch, type WatchedImport } from '../../../src-main/core/results/watch-folder.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { eventId, seedEvent } from './seed.ts';

let core: TestCore;
let folder: string;
let watching: FolderWatch | undefined;
afterEach(async () => {
  await watching?.close();
  watching = undefined;
  core?.cleanup();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** What the watcher reported, in order; next() resolves on its own next report. */
class Reports {
  private readonly queue: Array<WatchedImport | { failed: string | null; message: string }> = [];
  private waiting: ((report: Reports['queue'][number]) => void) | null = null;
  failures = 0;
  push(report: Reports['queue'][number]): void {
    if ('failed' in report) this.failures++;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(report);
    } else this.queue.push(report);
  }
  next(): Promise<Reports['queue'][number]> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

async function startWatching(hooks: { before?: () => void; onLooked?: () => void } = {}): Promise<Reports> {
  core = createTestCore();
  seedEvent(core.db);
  folder = mkdtempSync(join(tmpdir(), 'racedesk-watch-'));
  hooks.before?.();
  const reports = new Reports();
  watching = await watchResultsFolder(core, {
    dir: folder,
    event: eventId,
    // Short looks keep the test quick; the stability rule is the same as at the finish line.
    pollMs: 20,
    settleMs: 20,
    onImported: (imported) => reports.push(imported),
    onFailed: (fileName, error) => reports.push({ failed: fileName, message: error.message }),
    onLooked: hooks.onLooked,
  });
  return reports;
}

const heat = '1,1,1,City 10K,,,,';
const lif = (...competitors: string[]) => [heat, ...competitors, ''].join('\n');
const crewTimes = () => core.db.prepare(`SELECT bib_number, gun_time_ms, status FROM crew_results ORDER BY bib_number`).all();
const importCount = () => (core.db.prepare('SELECT count(*) AS n FROM crew_result_imports').get() as { n: number }).n;

describe('watched results folder', () => {
  it('imports a .lif as FinishLynx writes and rewrites it, holding unknown bibs, without doubles', async () => {
    const reports = await startWatching();
    writeFileSync(join(folder, 'a-heat1.lif'), lif('1,101,,Smith,Ann,City RC,40:30', '2,102,,Jones,Bob,,41:20'));
    expect(await reports.next()).toEqual({ fileName: 'a-heat1.lif', written: 2, unchanged: 0, held: 0, alreadyHeld: 0, placesChanged: 2 });

    // FinishLynx reads more finishers and writes the whole file again.
    writeFileSync(
      join(folder, 'a-heat1.lif'),
      lif('1,101,,Smith,Ann,City RC,40:30', '2,102,,Jones,Bob,,41:20', '3,103,,Lee,Cid,,42:05', '4,999,,Walk,Up,,43:00', 'DNF,105,,Núñez,Eve,,'),
    );
    expect(await reports.next()).toMatchObject({ fileName: 'a-heat1.lif', written: 2, unchanged: 2, held: 1 });
    expect(crewTimes()).toEqual([
      { bib_number: '101', gun_time_ms: 2_430_000, status: 'FIN' },
      { bib_number: '102', gun_time_ms: 2_480_000, status: 'FIN' },
      { bib_number: '103', gun_time_ms: 2_525_000, status: 'FIN' },
      { bib_number: '105', gun_time_ms: null, status: 'DNF' },
    ]);
    expect((await call(core, 'results.held', { event: eventId })).rows.map((row) => [row.bib, row.kind])).toEqual([['999', 'unknown_bib']]);

    // Saved again unchanged (new mtime, same content): skipped, so the next report is the other file's.
    utimesSync(join(folder, 'a-heat1.lif'), new Date(), new Date(Date.now() + 5_000));
    writeFileSync(join(folder, 'z-extra.csv'), 'Bib,Chip Time\n104,44:00\n');
    expect(await reports.next()).toMatchObject({ fileName: 'z-extra.csv', written: 1 });
    expect(importCount()).toBe(3);
    expect((await call(core, 'results.held', { event: eventId })).rows).toHaveLength(1);
  });

  it('does not import a file still being written, only the whole of it', async () => {
    let appended = false;
    const reports = await startWatching({
      // The watcher's first look finds the first half; the writer adds the rest before the next look.
      before: () => writeFileSync(join(folder, 'heat2.lif'), `${heat}\n1,101,,Smith,Ann,City RC,40:1`),
      onLooked: () => {
        if (appended) return;
        appended = true;
        appendFileSync(join(folder, 'heat2.lif'), '0.4\n2,102,,Jones,Bob,,41:20\n');
      },
    });
    expect(await reports.next()).toMatchObject({ fileName: 'heat2.lif', written: 2, held: 0 });
    expect(appended).toBe(true);
    expect(crewTimes()).toEqual([
      { bib_number: '101', gun_time_ms: 2_410_400, status: 'FIN' },
      { bib_number: '102', gun_time_ms: 2_480_000, status: 'FIN' },
    ]);
    expect(importCount()).toBe(1);
  });

  it('reports a file it cannot import and tries it again once it changes; other files are left alone', async () => {
    const reports = await startWatching();
    writeFileSync(join(folder, 'notes.md'), 'Bib,Time\n101,40:00\n');
    writeFileSync(join(folder, 'finish.csv'), 'Runner,Time\n101,40:00\n');
    expect(await reports.next()).toEqual({ failed: 'finish.csv', message: 'No bib column among the headers ("Runner", "Time"); choose the columns with a mapping.' });
    writeFileSync(join(folder, 'finish.csv'), 'Bib,Chip Time\n101,40:00\n');
    expect(await reports.next()).toMatchObject({ fileName: 'finish.csv', written: 1 });
    expect(importCount()).toBe(1);
  });

  it('tries a file again on the next look when the database was busy, reporting the failure once', async () => {
    // Another process (a second RaceDesk on the same data folder) holds the write lock for a few looks.
    let other: Database.Database | null = null;
    let looksWhileLocked = 0;
    const reports: Reports = await startWatching({
      onLooked: () => {
        if (!other || reports.failures === 0 || ++looksWhileLocked < 3) return;
        other.exec('ROLLBACK');
        other.close();
        other = null;
      },
    });
    core.db.pragma('busy_timeout = 20');
    const locker = new Database(join(core.dataDir, 'racedesk.sqlite'));
    locker.exec('BEGIN IMMEDIATE');
    other = locker;
    writeFileSync(join(folder, 'finish.csv'), 'Bib,Chip Time\n101,40:00\n');
    expect(await reports.next()).toMatchObject({ failed: 'finish.csv', message: expect.stringMatching(/locked|busy/i) });
    expect(await reports.next()).toMatchObject({ fileName: 'finish.csv', written: 1 });
    expect(looksWhileLocked).toBe(3);
    expect(reports.failures).toBe(1);
    expect(importCount()).toBe(1);
  });

  it('reports a folder that went away once, and carries on when it is back', async () => {
    let looksWithout = 0;
    const reports: Reports = await startWatching({
      onLooked: () => {
        if (reports.failures === 0 || ++looksWithout !== 3) return;
        mkdirSync(folder);
        writeFileSync(join(folder, 'finish.csv'), 'Bib,Chip Time\n101,40:00\n');
      },
    });
    // The USB stick with the timing exports is pulled.
    rmSync(folder, { recursive: true });
    expect(await reports.next()).toMatchObject({ failed: null, message: expect.stringContaining('ENOENT') });
    expect(await reports.next()).toMatchObject({ fileName: 'finish.csv', written: 1 });
    expect(reports.failures).toBe(1);
  });

  it('refuses a folder that does not exist, naming it', async () => {
    core = createTestCore();
    const missing = join(tmpdir(), 'racedesk-no-such-folder');
    await expect(watchResultsFolder(core, { dir: missing, event: eventId, onImported: () => {}, onFailed: () => {} })).rejects.toThrow(
      new RegExp(`^Cannot watch ${missing}: .*Give the folder the timing software writes its results to\\.$`),
    );
  });
});
