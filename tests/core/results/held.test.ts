import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { eventId, seedEvent } from './seed.ts';

let core: TestCore;
let files: string;
afterEach(() => {
  core?.cleanup();
  if (files) rmSync(files, { recursive: true, force: true });
});

/*
 * A finish-line CSV as it comes off the timing laptop: clean rows, a bib nobody registered, a
 * mistyped time, a double read (identical, counts once), a bib read twice with different times,
 * a bib two runners share, and a line without a bib.
 */
const finishFile = [
  'Bib,Chip Time,Gun Time,Status',
  '101,40:10.4,40:30,', // 2
  '999,41:00,41:10,', // 3 unknown bib
  '102,4x:00,41:20,', // 4 unparseable
  '103,42:00,42:05,', // 5
  '103,42:00,42:05,', // 6 identical double read
  '104,44:00,44:10,', // 7 104 twice, different times
  '104,44:30,44:40,', // 8
  '200,45:00,45:10,', // 9 shared bib
  ',46:00,46:10,', // 10 no bib
  '',
].join('\n');

function setup(): { importFile: (name: string, content: string, extra?: { strict?: boolean }) => ReturnType<typeof accept> } {
  core = createTestCore();
  seedEvent(core.db);
  files = mkdtempSync(join(tmpdir(), 'racedesk-held-'));
  return {
    importFile: (name, content, extra) => {
      writeFileSync(join(files, name), content);
      return accept(name, readFileSync(join(files, name), 'utf8'), extra);
    },
  };
}

const accept = (fileName: string, content: string, extra: { strict?: boolean } = {}) =>
  call(core, 'results.accept', { event: eventId, fileName, content, ...extra });

const crewTimes = () =>
  core.db.prepare(`SELECT bib_number, chip_time_ms, gun_time_ms, status, overall_place FROM crew_results ORDER BY chip_time_ms`).all();
const held = async (all = false) => (await call(core, 'results.held', { event: eventId, all })).rows;

describe('held result rows', () => {
  it('writes the clean rows, holds the others with their reasons, and a re-import doubles nothing', async () => {
    const { importFile } = setup();
    const first = await importFile('finish.csv', finishFile);
    expect(first).toMatchObject({ written: 2, held: 6, alreadyHeld: 0 });
    expect(crewTimes()).toEqual([
      { bib_number: '101', chip_time_ms: 2_410_400, gun_time_ms: 2_430_000, status: 'FIN', overall_place: 1 },
      { bib_number: '103', chip_time_ms: 2_520_000, gun_time_ms: 2_525_000, status: 'FIN', overall_place: 2 },
    ]);
    const rows = await held();
    expect(rows.map((row) => [row.line, row.bib, row.kind, row.reasons])).toEqual([
      [3, '999', 'unknown_bib', ['bib 999 is not registered in this event']],
      [4, '102', 'bad_value', ['chip time: "4x:00" is not a time (expected h:mm:ss, mm:ss or seconds, optionally with a fraction)']],
      [7, '104', 'duplicate_bib', ['bib 104 is on 2 lines: 7 and 8']],
      [8, '104', 'duplicate_bib', ['bib 104 is on 2 lines: 7 and 8']],
      [9, '200', 'shared_bib', ['bib 200 belongs to 2 participants (Hal Grey, Ian Ross); fix the bibs before importing']],
      [10, '', 'no_bib', ['no bib number']],
    ]);
    expect(rows[0]).toMatchObject({ chip_time: '41:00', gun_time: '41:10', cells: { Bib: '999', 'Chip Time': '41:00', 'Gun Time': '41:10', Status: '' }, resolution: null });

    // The same file again, and again rewritten with the lines in another order: nothing doubles.
    expect(await importFile('finish.csv', finishFile)).toMatchObject({ written: 0, unchanged: 2, held: 0, alreadyHeld: 6 });
    const reordered = [finishFile.split('\n')[0], ...finishFile.split('\n').slice(1).filter(Boolean).reverse()].join('\n');
    expect(await importFile('finish.csv', reordered)).toMatchObject({ written: 0, held: 0, alreadyHeld: 6 });
    expect(await held()).toHaveLength(6);
    expect((core.db.prepare('SELECT count(*) AS n FROM crew_results').get() as { n: number }).n).toBe(2);
  });

  it('counts an identical repeat of a line once and says so in the preview', async () => {
    setup();
    const preview = await call(core, 'results.preview', { event: eventId, fileName: 'finish.csv', content: finishFile });
    expect(preview.rows.filter((row) => row.outcome === 'repeat').map((row) => row.line)).toEqual([6]);
    expect(preview.counts).toMatchObject({ rows: 9, new: 2, repeats: 1, problemRows: 6 });
  });

  it('strict keeps all or nothing and holds nothing', async () => {
    const { importFile } = setup();
    const refused = await dispatch(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: finishFile, strict: true });
    expect(refused.ok || refused.error.message).toMatch(/^6 rows of finish.csv have problems, so nothing was imported: line 3: bib 999 is not registered/);
    expect(crewTimes()).toEqual([]);
    expect(await held()).toEqual([]);
    // A clean file goes through strict as before.
    expect(await importFile('clean.csv', 'Bib,Chip Time\n101,40:00\n', { strict: true })).toMatchObject({ written: 1, held: 0 });
  });

  it('matches a held unknown bib by itself once a walk-up registers with it', async () => {
    const { importFile } = setup();
    await importFile('finish.csv', finishFile);
    const { participant } = await call(core, 'pickup.registerWalkUp', {
      provider: 'runsignup', eventId, firstName: 'Zoë', lastName: 'Late', gender: 'F', dateOfBirth: '1990-01-01', bib: '999',
    });
    const walkUp = core.db.prepare(`SELECT bib_number, chip_time_ms, gun_time_ms, status, overall_place FROM crew_results WHERE participant_id = ?`).get(participant.participant_id);
    expect(walkUp).toEqual({ bib_number: '999', chip_time_ms: 2_460_000, gun_time_ms: 2_470_000, status: 'FIN', overall_place: 2 });
    expect((await held()).map((row) => row.bib)).toEqual(['102', '104', '104', '200', '']);
    const matched = (await held(true)).find((row) => row.bib === '999');
    expect(matched).toMatchObject({ resolution: 'matched', participant_id: participant.participant_id });
    // Re-importing the file holds the matched line no more and writes nothing new for it.
    expect(await importFile('finish.csv', finishFile)).toMatchObject({ written: 0, held: 0, alreadyHeld: 5 });
  });

  it('matches a held unknown bib once a bib change hands it to a runner, and a blank never overwrites a known time', async () => {
    const { importFile } = setup();
    await importFile('early.csv', 'Bib,Chip Time,Gun Time\n106,,50:00\n');
    await importFile('finish.csv', 'Bib,Chip Time,Gun Time\n998,49:00,\n');
    await call(core, 'pickup.changeBib', { provider: 'runsignup', participantId: '9106', newBib: '998' });
    expect(core.db.prepare(`SELECT bib_number, chip_time_ms, gun_time_ms FROM crew_results WHERE participant_id = '9106'`).get()).toEqual({
      bib_number: '998', chip_time_ms: 2_940_000, gun_time_ms: 3_000_000,
    });
    expect(await held()).toEqual([]);
  });

  it('assigns, corrects and dismisses held rows, and refuses what cannot be written', async () => {
    const { importFile } = setup();
    await importFile('finish.csv', finishFile);
    const rows = await held();
    const byLine = (line: number) => rows.find((row) => row.line === line)!;

    // No bib: the crew knows from the finish video who it was.
    const assigned = await call(core, 'results.held.assign', { id: byLine(10).id, participantId: '9106', stationName: 'Results desk' });
    expect(assigned).toMatchObject({ resolution: 'assigned', participant_id: '9106', resolved_by: 'Results desk' });
    expect(core.db.prepare(`SELECT chip_time_ms, status FROM crew_results WHERE participant_id = '9106'`).get()).toEqual({ chip_time_ms: 2_760_000, status: 'FIN' });

    // A time that does not parse cannot be assigned, only corrected; a correction still wrong changes nothing.
    const refused = await dispatch(core, 'results.held.assign', { id: byLine(4).id, participantId: '9102' });
    expect(refused.ok || refused.error.message).toMatch(/^Line 4 of finish.csv has values that cannot be read \(chip time: "4x:00" is not a time/);
    const stillBad = await dispatch(core, 'results.held.correct', { id: byLine(4).id, chipTime: '4y:00' });
    expect(stillBad.ok || stillBad.error.message).toMatch(/^The corrected line 4 still cannot be written: chip time: "4y:00" is not a time.*Nothing was changed\.$/);
    const corrected = await call(core, 'results.held.correct', { id: byLine(4).id, chipTime: '41:00' });
    expect(corrected).toMatchObject({ resolution: 'corrected', participant_id: '9102', chip_time: '41:00', corrected_cells: { 'Chip Time': '41:00' }, cells: { 'Chip Time': '4x:00' } });
    expect(core.db.prepare(`SELECT chip_time_ms, gun_time_ms FROM crew_results WHERE participant_id = '9102'`).get()).toEqual({ chip_time_ms: 2_460_000, gun_time_ms: 2_480_000 });

    // Bib 104 read twice: the crew keeps the second reading and dismisses the first.
    expect(await call(core, 'results.held.dismiss', { id: byLine(7).id })).toMatchObject({ resolution: 'dismissed', resolved_by: 'Test station' });
    expect(await call(core, 'results.held.correct', { id: byLine(8).id, bib: '104' })).toMatchObject({ resolution: 'corrected', participant_id: '9104' });
    expect(core.db.prepare(`SELECT chip_time_ms FROM crew_results WHERE participant_id = '9104'`).get()).toEqual({ chip_time_ms: 2_670_000 });

    // A shared bib is assigned to the one of the two who ran.
    await call(core, 'results.held.assign', { id: byLine(9).id, participantId: '9201' });
    const again = await dispatch(core, 'results.held.dismiss', { id: byLine(9).id });
    expect(again.ok || again.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Held row \d+ \(line 9 of finish.csv\) was already assigned by Test station at /) });
    const stranger = await dispatch(core, 'results.held.assign', { id: byLine(3).id, participantId: 'nobody' });
    expect(stranger.ok || stranger.error.code).toBe('not_found');

    // Nothing is lost: every held line is still listed with how it was resolved.
    expect((await held()).map((row) => row.line)).toEqual([3]);
    expect((await held(true)).map((row) => [row.line, row.resolution])).toEqual([
      [3, null],
      [4, 'corrected'],
      [7, 'dismissed'],
      [8, 'corrected'],
      [9, 'assigned'],
      [10, 'assigned'],
    ]);
    expect(crewTimes().map((row) => (row as { bib_number: string }).bib_number)).toEqual(['101', '102', '103', '104', '200', '106']);
  });
});
