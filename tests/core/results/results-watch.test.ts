import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import type { Core } from '../../../src-main/core/core.ts';
import { closeResultsWatch, resumeResultsWatch, type ResultsWatchStatus } from '../../../src-main/core/results/results-watch.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { eventId, seedEvent } from './seed.ts';

/*
 * The Results screen's watched folder through its handlers: switched on for a real folder, a
 * FinishLynx .lif written into it is imported with the held-rows rules and the status (also sent
 * as 'results.watch' events) counts it; the switch survives a restart of the core's host; bad
 * input changes nothing.
 */
const cores: TestCore[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const core of cores.splice(0).reverse()) {
    await closeResultsWatch(core);
    core.cleanup();
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function seededCore(dataDir?: string): TestCore {
  const core = createTestCore(dataDir ? { dataDir } : {});
  cores.push(core);
  if (!dataDir) seedEvent(core.db);
  return core;
}

function newFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'racedesk-watched-'));
  folders.push(folder);
  return folder;
}

/** The next 'results.watch' status that satisfies `wanted` (subscribe before causing it). */
function statusWhere(core: Core, wanted: (status: ResultsWatchStatus) => boolean): Promise<ResultsWatchStatus> {
  return new Promise((resolve) => {
    const stop = core.events.on('results.watch', (status) => {
      if (!wanted(status)) return;
      stop();
      resolve(status);
    });
  });
}

const lif = (...competitors: string[]) => ['1,1,1,City 10K,,,,', ...competitors, ''].join('\n');
const crewTimes = (core: Core) => core.db.prepare(`SELECT bib_number, gun_time_ms FROM crew_results ORDER BY bib_number`).all();

describe('results.watchStart / watchStop / watchStatus', () => {
  it('imports a .lif written into the folder, counts it in the status and its events, and stops', async () => {
    const core = seededCore();
    const folder = newFolder();
    expect(await call(core, 'results.watchStatus', {})).toMatchObject({ watching: false, folder: null });

    const started = await call(core, 'results.watchStart', { event: eventId, folder });
    expect(started).toMatchObject({ watching: true, folder, event: eventId, provider: 'runsignup', imports: 0, written: 0, held: 0, lastImport: null, problem: null });
    expect(core.settings.read().resultsWatch).toEqual({ event: eventId, provider: 'runsignup', folder });

    const imported = statusWhere(core, (status) => status.imports === 1);
    writeFileSync(join(folder, 'heat1.lif'), lif('1,101,,Smith,Ann,City RC,40:30', '2,102,,Jones,Bob,,41:20', '3,999,,Walk,Up,,43:00'));
    expect(await imported).toMatchObject({ watching: true, imports: 1, written: 2, held: 1, lastImport: { fileName: 'heat1.lif', written: 2, held: 1 } });
    expect(crewTimes(core)).toEqual([
      { bib_number: '101', gun_time_ms: 2_430_000 },
      { bib_number: '102', gun_time_ms: 2_480_000 },
    ]);
    expect((await call(core, 'results.held', { event: eventId })).open).toBe(1);
    expect(await call(core, 'results.watchStatus', {})).toMatchObject({ imports: 1, written: 2, held: 1 });

    // FinishLynx rewrites the file with one more finisher: counted on top.
    const rewritten = statusWhere(core, (status) => status.imports === 2);
    writeFileSync(join(folder, 'heat1.lif'), lif('1,101,,Smith,Ann,City RC,40:30', '2,102,,Jones,Bob,,41:20', '3,999,,Walk,Up,,43:00', '4,103,,Lee,Cid,,44:05'));
    expect(await rewritten).toMatchObject({ imports: 2, written: 3, held: 1, lastImport: { fileName: 'heat1.lif', written: 1, held: 0 } });

    const stopped = await call(core, 'results.watchStop', {});
    expect(stopped).toMatchObject({ watching: false, folder: null });
    expect(core.settings.read().resultsWatch).toBeNull();
    // Switched off, it stays off at the next start.
    await resumeResultsWatch(core);
    expect(await call(core, 'results.watchStatus', {})).toMatchObject({ watching: false, folder: null });
  });

  it('watches again after a restart of the host, and says why when the folder is gone', async () => {
    const core = seededCore();
    const folder = newFolder();
    await call(core, 'results.watchStart', { event: eventId, folder });
    // The host shuts down (the switch stays on), then a new host starts on the same data folder.
    await closeResultsWatch(core);
    const restarted = seededCore(core.dataDir);
    const resumed = statusWhere(restarted, (status) => status.watching);
    await resumeResultsWatch(restarted);
    expect(await resumed).toMatchObject({ watching: true, folder, event: eventId, imports: 0 });

    const imported = statusWhere(restarted, (status) => status.imports === 1);
    writeFileSync(join(folder, 'heat1.lif'), lif('1,105,,Núñez,Eve,,39:59'));
    expect(await imported).toMatchObject({ written: 1, held: 0 });
    expect(crewTimes(restarted)).toEqual([{ bib_number: '105', gun_time_ms: 2_399_000 }]);

    // Next start, the folder is not there (a share not mounted): not watching, saying why, switch still on.
    await closeResultsWatch(restarted);
    rmSync(folder, { recursive: true });
    await resumeResultsWatch(restarted);
    const status = await call(restarted, 'results.watchStatus', {});
    expect(status).toMatchObject({ watching: false, folder, event: eventId, problem: { fileName: null } });
    expect(status.problem?.message).toContain(`Cannot watch ${folder}`);
    expect(restarted.settings.read().resultsWatch).toEqual({ event: eventId, provider: 'runsignup', folder });
  });

  it('refuses an unknown event, a folder that is not there or is a file, changing nothing', async () => {
    const core = seededCore();
    const folder = newFolder();
    const file = join(folder, 'results.csv');
    writeFileSync(file, 'Bib,Time\n');
    const refusals = [
      [{ event: '4242', folder }, 'not_found', 'No event "4242"'],
      [{ event: eventId, folder: join(folder, 'missing') }, 'invalid_input', `Cannot watch ${join(folder, 'missing')}`],
      [{ event: eventId, folder: file }, 'invalid_input', 'it is a file, not a folder'],
      [{ event: eventId, folder: '  ' }, 'invalid_input', 'Give the folder'],
    ] as const;
    for (const [input, code, message] of refusals) {
      const result = await dispatch(core, 'results.watchStart', input);
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect(result.ok ? '' : result.error.message).toContain(message);
    }
    expect(await call(core, 'results.watchStatus', {})).toMatchObject({ watching: false, folder: null });
    expect(core.settings.read().resultsWatch).toBeNull();
  });
});
