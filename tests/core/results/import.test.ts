import { describe, it, expect, afterEach } from 'vitest';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { seedEvent, eventId } from './seed.ts';
import { afterOneBom } from '../../helpers/csv.ts';

let core: TestCore;
afterEach(() => core?.cleanup());

function setup(): TestCore {
  core = createTestCore();
  seedEvent(core.db);
  return core;
}

const firstFile = [
  'Bib,Name,Chip Time,Gun Time,5K Split,Status',
  '101,Ann Smith,40:10.4,40:30,20:01,',
  '102,Bob Jones,41:00,41:20,,',
  '0103,Cid Lee,41:00,41:05,20:30,', // padded bib, as some timing software writes it
  '104,Dee Park,45:00.123,45:30,,',
  '105,Eve Nunez,,,,DNF',
  '',
].join('\n');

const crewRows = (db: TestCore['db']) =>
  db.prepare(`SELECT bib_number, chip_time_ms, gun_time_ms, splits, status, overall_place, gender_place, age, age_group, age_group_place
              FROM crew_results ORDER BY bib_number`).all();
const count = (db: TestCore['db'], sql: string) => (db.prepare(sql).get() as { n: number }).n;
const crewOutbox = (db: TestCore['db']) => count(db, `SELECT count(*) AS n FROM hub_outbox WHERE table_name = 'crew_results'`);

describe('results import', () => {
  it('previews without writing, then accepts and places the event', async () => {
    const { db } = setup();
    const preview = await call(core, 'results.preview', { event: eventId, fileName: 'finish.csv', content: firstFile });
    expect(preview.mappingSource).toBe('detected from the headers');
    expect(preview.counts).toMatchObject({ rows: 5, new: 5, problemRows: 0 });
    expect(preview.rows[2]).toMatchObject({ line: 4, bib: '0103', outcome: 'new', name: 'Cid Lee', chip_time: '41:00.000' });
    expect(count(db, 'SELECT count(*) AS n FROM crew_results')).toBe(0);

    const accepted = await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: firstFile });
    expect(accepted.written).toBe(5);
    expect(crewRows(db)).toEqual([
      { bib_number: '101', chip_time_ms: 2_410_400, gun_time_ms: 2_430_000, splits: '{"5K":1201000}', status: 'FIN', overall_place: 1, gender_place: 1, age: 34, age_group: '30-39', age_group_place: 1 },
      { bib_number: '102', chip_time_ms: 2_460_000, gun_time_ms: 2_480_000, splits: null, status: 'FIN', overall_place: 2, gender_place: 1, age: 29, age_group: '20-29', age_group_place: 1 },
      { bib_number: '103', chip_time_ms: 2_460_000, gun_time_ms: 2_465_000, splits: '{"5K":1230000}', status: 'FIN', overall_place: 2, gender_place: 1, age: 30, age_group: '30-39', age_group_place: 1 },
      { bib_number: '104', chip_time_ms: 2_700_123, gun_time_ms: 2_730_000, splits: null, status: 'FIN', overall_place: 4, gender_place: 2, age: 45, age_group: '40-49', age_group_place: 1 },
      { bib_number: '105', chip_time_ms: null, gun_time_ms: null, splits: null, status: 'DNF', overall_place: null, gender_place: null, age: 22, age_group: '20-29', age_group_place: null },
    ]);
    expect(crewOutbox(db)).toBe(5);
    expect(db.prepare(`SELECT file_name, rows_written, station_name FROM crew_result_imports`).all()).toEqual([
      { file_name: 'finish.csv', rows_written: 5, station_name: 'Test station' },
    ]);
    // Crew results sit beside the providers' in unified_results.
    expect(db.prepare(`SELECT source_provider, event_id, participant_id, results_time, results_gun_time, overall_place, status FROM unified_results WHERE bib_number = '101'`).get()).toEqual({
      source_provider: 'crew', event_id: '5001', participant_id: '9101', results_time: '0:40:10.400', results_gun_time: '0:40:30.000', overall_place: 1, status: 'finished',
    });
  });

  it('reports every bad row with its reason and, strict, writes nothing', async () => {
    const { db } = setup();
    const bad = [
      'Bib\tChip Time\tStatus',
      '101\t40:10\t',
      '999\t41:00\t',
      '102\t4x:00\t',
      '103\t42:00\t',
      '103\t42:30\t',
      '200\t43:00\t',
      '104\t44:00\tLost',
      '\t45:00\t',
    ].join('\n');
    const preview = await call(core, 'results.preview', { event: eventId, fileName: 'finish.txt', content: bad });
    expect(preview.problems).toEqual([
      { line: 3, bib: '999', reason: 'bib 999 is not registered in this event' },
      { line: 4, bib: '102', reason: 'chip time: "4x:00" is not a time (expected h:mm:ss, mm:ss or seconds, optionally with a fraction)' },
      { line: 5, bib: '103', reason: 'bib 103 is on 2 lines: 5 and 6' },
      { line: 7, bib: '200', reason: 'bib 200 belongs to 2 participants (Hal Grey, Ian Ross); fix the bibs before importing' },
      { line: 8, bib: '104', reason: 'status "Lost" is not one of FIN, DNF, DNS, DQ' },
      { line: 9, bib: '', reason: 'no bib number' },
    ]);
    expect(preview.counts).toMatchObject({ rows: 8, new: 1, problemRows: 7 });

    const result = await dispatch(core, 'results.accept', { event: eventId, fileName: 'finish.txt', content: bad, strict: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toMatch(/^7 rows of finish.txt have problems, so nothing was imported: line 3: bib 999 is not registered/);
    }
    expect(count(db, 'SELECT count(*) AS n FROM crew_results')).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM crew_result_imports')).toBe(0);
    expect(crewOutbox(db)).toBe(0);
  });

  it('reports a bib on many lines once, naming a few of them, and lists at most 500 problems', async () => {
    const { db } = setup();
    const header = 'Bib,Chip Time';
    // Different times: an identical repeat of a line counts once (tests/core/results/held.test.ts).
    const copies = [header, ...Array.from({ length: 2_000 }, (_, i) => `101,${2_400 + i}`)].join('\n');
    const preview = await call(core, 'results.preview', { event: eventId, fileName: 'copies.csv', content: copies });
    expect(preview.problems).toEqual([{ line: 2, bib: '101', reason: 'bib 101 is on 2,000 lines: 2, 3, 4, 5, 6 and 1,995 more' }]);
    expect(preview.counts).toMatchObject({ rows: 2_000, problemRows: 2_000 });
    const refused = await dispatch(core, 'results.accept', { event: eventId, fileName: 'copies.csv', content: copies, strict: true });
    expect(refused.ok || refused.error.message).toBe('2,000 rows of copies.csv have problems, so nothing was imported: line 2: bib 101 is on 2,000 lines: 2, 3, 4, 5, 6 and 1,995 more.');

    const unknown = [header, ...Array.from({ length: 700 }, (_, i) => `${5_000 + i},40:10`)].join('\n');
    const many = await call(core, 'results.preview', { event: eventId, fileName: 'unknown.csv', content: unknown });
    expect(many.problems).toHaveLength(500);
    expect(many.problems.at(-1)).toEqual({ line: 501, bib: '5499', reason: 'bib 5499 is not registered in this event' });
    expect(many.unlistedProblems).toBe(200);
    const manyRefused = await dispatch(core, 'results.accept', { event: eventId, fileName: 'unknown.csv', content: unknown, strict: true });
    expect(manyRefused.ok || manyRefused.error.message).toMatch(/^700 rows of unknown.csv have problems, .*; and 690 more\.$/);
    expect(count(db, 'SELECT count(*) AS n FROM crew_results')).toBe(0);
  });

  it('rejects a time longer than any race, in the preview and the strict import alike', async () => {
    const { db } = setup();
    const file = ['Bib,Chip Time,Gun Time', '101,99999999999999999,', '102,,999999:00:00', '103,999:59:59.999,'].join('\n');
    const preview = await call(core, 'results.preview', { event: eventId, fileName: 'long.csv', content: file });
    expect(preview.problems).toEqual([
      { line: 2, bib: '101', reason: 'chip time: "99999999999999999" is longer than any race (at most 999:59:59.999)' },
      { line: 3, bib: '102', reason: 'gun time: "999999:00:00" is longer than any race (at most 999:59:59.999)' },
    ]);
    const result = await dispatch(core, 'results.accept', { event: eventId, fileName: 'long.csv', content: file, strict: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toMatch(/^2 rows of long.csv have problems, so nothing was imported: line 2: chip time: "99999999999999999" is longer than any race/);
    }
    expect(count(db, 'SELECT count(*) AS n FROM crew_results')).toBe(0);
  });

  it('refuses a file with more rows than one import takes, naming the limit', async () => {
    setup();
    const huge = ['Bib,Chip Time', ...Array.from({ length: 100_001 }, (_, i) => `${i},40:10`)].join('\n');
    for (const fileName of ['huge.csv', 'huge.lif']) {
      const result = await dispatch(core, 'results.preview', { event: eventId, fileName, content: huge });
      expect(result.ok || result.error).toEqual({
        code: 'invalid_input',
        message: 'The file has more than 100,000 result rows, the most one import takes; nothing was imported. Check that it is the right file, or split it by race.',
      });
    }
  });

  it('re-imports an updated file without doubles and never blanks a known value', async () => {
    const { db } = setup();
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: firstFile });
    const later = [
      'Bib,Chip Time,Gun Time,5K Split,Status',
      '101,40:10.4,40:30,,', // 5K split blank now: keeps 20:01
      '102,41:00,41:20,20:15,', // split arrives late
      '104,,45:30,,', // chip time blank: keeps 45:00.123
      '105,39:59,40:10,,', // the DNF was a missed read: finishes first
      '106,,,,', // nothing known yet: no row
    ].join('\n');
    const preview = await call(core, 'results.preview', { event: eventId, fileName: 'finish-2.csv', content: later });
    expect(preview.rows.map((row) => [row.bib, row.outcome])).toEqual([
      ['101', 'unchanged'],
      ['102', 'update'],
      ['104', 'unchanged'],
      ['105', 'update'],
      ['106', 'no result'],
    ]);
    const accepted = await call(core, 'results.accept', { event: eventId, fileName: 'finish-2.csv', content: later });
    expect(accepted).toMatchObject({ written: 2, unchanged: 2 });
    expect(count(db, 'SELECT count(*) AS n FROM crew_results')).toBe(5);
    const byBib = Object.fromEntries((crewRows(db) as Array<Record<string, unknown>>).map((row) => [row.bib_number, row]));
    expect(byBib['101']).toMatchObject({ splits: '{"5K":1201000}', overall_place: 2 });
    expect(byBib['102']).toMatchObject({ splits: '{"5K":1215000}', overall_place: 3 });
    expect(byBib['104']).toMatchObject({ chip_time_ms: 2_700_123, overall_place: 5 });
    expect(byBib['105']).toMatchObject({ status: 'FIN', chip_time_ms: 2_399_000, overall_place: 1, gender_place: 1, age_group_place: 1 });
    // Still one outbox entry per row: the hub gets each row's newest state once.
    expect(crewOutbox(db)).toBe(5);

    // The same file again changes nothing.
    expect(await call(core, 'results.accept', { event: eventId, fileName: 'finish-2.csv', content: later })).toMatchObject({ written: 0, placesChanged: 0 });
  });

  it('replaces places when the event switches to gun time or new brackets', async () => {
    const { db } = setup();
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: firstFile });
    const settings = await call(core, 'results.settings.set', { event: eventId, placeBy: 'gun', ageBrackets: [0, 30, 40] });
    expect(settings).toMatchObject({ placeBy: 'gun', ageBrackets: [0, 30, 40] });
    // Gun: 101 40:30, 103 41:05, 102 41:20, 104 45:30
    expect((crewRows(db) as Array<Record<string, unknown>>).map((row) => [row.bib_number, row.overall_place, row.age_group, row.age_group_place])).toEqual([
      ['101', 1, '30-39', 1],
      ['102', 3, '0-29', 1],
      ['103', 2, '30-39', 1],
      ['104', 4, '40+', 1],
      ['105', null, '0-29', null],
    ]);
    expect(await call(core, 'results.settings.get', { event: eventId })).toEqual({ placeBy: 'gun', ageBrackets: [0, 30, 40], ageBasis: 'race_day', excludeOverallPlaces: 0 });
  });

  it('remembers a mapping for files with the same headers', async () => {
    const { db } = setup();
    const timy = 'Startnr;Netto;Brutto;Zwischenzeit\n101;40:10,4;40:30;20:01\n102;41:00;41:20;\n';
    const mapping = { bib: 'Startnr', chipTime: 'Netto', gunTime: 'Brutto', splits: { '5K': 'Zwischenzeit' } };
    const unmapped = await dispatch(core, 'results.preview', { event: eventId, fileName: 'timy.csv', content: timy });
    expect(unmapped.ok ? null : unmapped.error.message).toMatch(/No bib column among the headers \("Startnr", "Netto", "Brutto", "Zwischenzeit"\)/);

    await call(core, 'results.accept', { event: eventId, fileName: 'timy.csv', content: timy, mapping, saveMappingAs: 'Timy' });
    expect((await call(core, 'results.mappings', {})).map((m) => [m.name, m.format, m.mapping.bib])).toEqual([['Timy', 'csv', 'Startnr']]);
    const again = await call(core, 'results.preview', { event: eventId, fileName: 'timy-2.csv', content: timy });
    expect(again.mappingSource).toBe('saved mapping "Timy" (same headers)');
    expect(again.counts).toMatchObject({ unchanged: 2 });
    expect(await call(core, 'results.preview', { event: eventId, fileName: 'x.csv', content: timy, mappingName: 'Timy' })).toMatchObject({ mappingSource: 'saved mapping "Timy"' });
    expect(count(db, 'SELECT count(*) AS n FROM crew_results')).toBe(2);
  });

  it('says a file with gun times only is placed by gun time, whatever the event is set to', async () => {
    setup();
    expect((await call(core, 'results.settings.get', { event: eventId })).placeBy).toBe('chip');
    await call(core, 'results.accept', { event: eventId, fileName: 'gun.csv', content: 'Bib,Gun Time\n101,40:30\n102,41:20\n' });
    const list = await call(core, 'results.list', { event: eventId });
    expect(list.placeBy).toBe('gun');
    expect(list.rows.map((row) => [row.bib_number, row.time, row.overall_place])).toEqual([['101', '40:30', 1], ['102', '41:20', 2]]);
    // With chip times in the file, the setting decides again.
    await call(core, 'results.accept', { event: eventId, fileName: 'chip.csv', content: 'Bib,Chip Time\n101,40:10\n' });
    expect((await call(core, 'results.list', { event: eventId })).placeBy).toBe('chip');
  });

  it('imports a FinishLynx .lif file', async () => {
    setup();
    const lif = '3,1,1,City 10K,,,,\n1,101,,Smith,Ann,,40:30.12\n2,102,,Jones,Bob,,41:20.5\nDNF,103,,Lee,Cid,,\nDQ,104,,Park,Dee,,45:30\n';
    const accepted = await call(core, 'results.accept', { event: eventId, fileName: 'HEAT003.LIF', content: lif });
    expect(accepted.written).toBe(4);
    const list = await call(core, 'results.list', { event: eventId });
    expect(list.rows.map((row) => [row.bib_number, row.time, row.overall_place, row.status])).toEqual([
      ['101', '40:30.12', 1, 'FIN'],
      ['102', '41:20.50', 2, 'FIN'],
      ['103', '', null, 'DNF'],
      ['104', '45:30.00', null, 'DQ'],
    ]);
  });

  it('refuses an unknown event and names what to do', async () => {
    setup();
    const result = await dispatch(core, 'results.preview', { event: '777', fileName: 'f.csv', content: firstFile });
    expect(result.ok ? null : result.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/No event "777".*racedesk sync/) });
  });
});

describe('results events and file inspection', () => {
  it('lists events with their crew result counts and shows a file’s columns before mapping', async () => {
    setup();
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: firstFile });
    expect(await call(core, 'results.events', {})).toEqual([
      { source_provider: 'runsignup', event_id: '5001', event_name: 'City 10K', event_date: '2026-05-10T08:00:00.000Z', race_name: 'City Run 2026', crew_results: 5 },
    ]);
    expect(await call(core, 'results.inspect', { fileName: 'timy.csv', content: 'Startnr;Netto\n1;20:00\n' })).toEqual({
      format: 'csv', headers: ['Startnr', 'Netto'], rows: 1, mapping: null, mappingSource: null,
    });
    expect(await call(core, 'results.inspect', { fileName: 'finish.csv', content: firstFile })).toMatchObject({ mappingSource: 'detected from the headers', mapping: { bib: 'Bib' } });
  });

  it('lists by gender and age group, searches by bib or name, and exports CSV', async () => {
    setup();
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: firstFile });
    const byGender = await call(core, 'results.list', { event: eventId, by: 'gender' });
    expect(byGender.rows.map((r) => [r.gender, r.bib_number, r.gender_place])).toEqual([
      ['F', '101', 1], ['F', '104', 2], ['F', '105', null], ['M', '102', 1], ['M', '103', 1],
    ]);
    const byAge = await call(core, 'results.list', { event: eventId, by: 'age' });
    expect(byAge.rows.map((r) => `${r.gender}${r.age_group}:${r.bib_number}`)).toEqual(['F20-29:105', 'F30-39:101', 'F40-49:104', 'M20-29:102', 'M30-39:103']);
    expect((await call(core, 'results.list', { event: eventId, search: 'nunez' })).rows.map((r) => r.bib_number)).toEqual(['105']);
    expect((await call(core, 'results.list', { event: eventId, search: '103' })).rows.map((r) => r.last_name)).toEqual(['Lee']);
    expect((await call(core, 'results.list', { event: eventId, search: 'smith ann' })).rows.map((r) => r.bib_number)).toEqual(['101']);
    const splits = (await call(core, 'results.list', { event: eventId, search: '101' })).rows[0].splits;
    // Every time of the list in the precision of its finest (45:00.123), whichever rows a search shows.
    expect(splits).toEqual([{ name: '5K', time: '20:01.000' }]);

    const exported = await call(core, 'results.exportCsv', { event: eventId });
    expect(exported.fileName).toBe('City-Run-2026-City-10K-results.csv');
    expect(afterOneBom(exported.csv).split('\r\n')).toEqual([
      'Place,Bib,First Name,Last Name,Gender,Age,Age Group,Time,Chip Time,Gun Time,Gender Place,Age Group Place,Status,5K',
      '1,101,Ann,Smith,F,34,30-39,40:10.400,40:10.400,40:30.000,1,1,FIN,20:01.000',
      '2,102,Bob,Jones,M,29,20-29,41:00.000,41:00.000,41:20.000,1,1,FIN,',
      '2,103,Cid,Lee,M,30,30-39,41:00.000,41:00.000,41:05.000,1,1,FIN,20:30.000',
      '4,104,Dee,Park,F,45,40-49,45:00.123,45:00.123,45:30.000,2,1,FIN,',
      ',105,Eve,Núñez,F,22,20-29,,,,,,DNF,',
      '',
    ]);
  });
});

describe('provider results beside the crew’s', () => {
  it('pairs Copernico and crew results of one runner, and leaves out another provider’s event of the same id', async () => {
    setup();
    const { db } = core;
    db.exec(`
      INSERT INTO copernico_events (event_id, event_name, event_date) VALUES ('cop-9', 'Trail', '2026-07-01');
      INSERT INTO copernico_participants (event_id, participant_id, first_name, last_name, bib_number) VALUES ('cop-9', 'A1', 'Ola', 'Berg', '7');
      INSERT INTO copernico_results (event_id, participant_id, bib_number, first_name, last_name, total_time, gun_time, overall_position, status)
        VALUES ('cop-9', 'A1', '7', 'Ola', 'Berg', '1:30:00.000', '1:30:05.000', 1, 'finished');
      INSERT INTO haku_events (event_id, event_name, start_date) VALUES ('cop-9', 'Spring 10K', '2026-07-01');
      INSERT INTO haku_participants (event_id, participant_id, first_name, last_name, bib_number) VALUES ('cop-9', 'R-1', 'Gus', 'Hale', '7');
    `);
    await call(core, 'results.accept', { event: 'cop-9', provider: 'copernico', fileName: 'trail.csv', content: 'Bib,Time\n7,1:29:59.8\n' });
    await call(core, 'results.accept', { event: 'cop-9', provider: 'haku', fileName: '10k.csv', content: 'Bib,Time\n7,0:45:00\n' });
    expect(await call(core, 'results.compare', { event: 'cop-9', provider: 'copernico' })).toEqual([
      {
        participant_id: 'cop-9:A1', bib_number: '7', first_name: 'Ola', last_name: 'Berg',
        results: [
          { source_provider: 'copernico', time: '1:30:00.000', gun_time: '1:30:05.000', overall_place: 1, status: 'finished' },
          { source_provider: 'crew', time: '1:29:59.800', gun_time: null, overall_place: 1, status: 'finished' },
        ],
      },
    ]);
  });

  it('pairs ChronoTrack and crew results by participant id', async () => {
    setup();
    const { db } = core;
    db.prepare(`INSERT INTO ct_events (event_id, event_name, event_start_time) VALUES ('ct-9', 'Harbor Half', '2026-06-01T07:00:00Z')`).run();
    db.prepare(`INSERT INTO ct_participants (entry_id, event_id, entry_bib, athlete_first_name, athlete_last_name, athlete_sex, entry_race_age)
                VALUES ('e1', 'ct-9', '7', 'Ola', 'Berg', 'F', 40), ('e2', 'ct-9', '8', 'Per', 'Dahl', 'M', 41)`).run();
    db.prepare(`INSERT INTO ct_results (event_id, entry_id, results_bib, results_first_name, results_last_name, results_time, results_gun_time, results_rank)
                VALUES ('ct-9', 'e1', '7', 'Ola', 'Berg', '1:30:00', '1:30:05', 1)`).run();
    await call(core, 'results.accept', { event: 'ct-9', fileName: 'half.csv', content: 'Bib,Time\n7,1:29:59.8\n8,1:35:00\n' });
    const compare = await call(core, 'results.compare', { event: 'ct-9' });
    expect(compare).toEqual([
      {
        participant_id: 'e1', bib_number: '7', first_name: 'Ola', last_name: 'Berg',
        results: [
          { source_provider: 'chronotrack', time: '1:30:00', gun_time: '1:30:05', overall_place: 1, status: 'finished' },
          { source_provider: 'crew', time: '1:29:59.800', gun_time: null, overall_place: 1, status: 'finished' },
        ],
      },
      {
        participant_id: 'e2', bib_number: '8', first_name: 'Per', last_name: 'Dahl',
        results: [{ source_provider: 'crew', time: '1:35:00.000', gun_time: null, overall_place: 2, status: 'finished' }],
      },
    ]);
  });
});
