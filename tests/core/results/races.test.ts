import { describe, it, expect, afterEach } from 'vitest';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { seedEvent, eventId as runSignUpEventId } from './seed.ts';
import { seedChronoTrackDay, chronoTrackDayFile, ctEventId } from './races-seed.ts';

let core: TestCore;
afterEach(() => core?.cleanup());

const placed = (rows: Array<{ race_name: string | null; bib_number: string | null; overall_place: number | null; gender_place: number | null; age: number | null; age_group: string | null; age_group_place: number | null; status: string }>) =>
  rows.map((r) => [r.race_name, r.bib_number, r.overall_place, r.gender_place, r.age, r.age_group, r.age_group_place, r.status]);

describe('results of an event with several races', () => {
  it('places a two-distance ChronoTrack day imported from one file per race, never across them', async () => {
    core = createTestCore();
    seedChronoTrackDay(core.db);
    const accepted = await call(core, 'results.accept', { event: ctEventId, fileName: 'day.csv', content: chronoTrackDayFile });
    expect(accepted.written).toBe(7);

    // Hand-checked: the 5K's Ben (20:00) and the half's Dan (1:30:00) both win; the walk-up Gus
    // ran 19:00 but has no race, so he cannot be placed against either distance.
    const list = await call(core, 'results.list', { event: ctEventId });
    expect(list.races).toEqual([
      { race_id: 'r5', race_name: '5K', results: 3 },
      { race_id: 'r21', race_name: 'Half Marathon', results: 3 },
    ]);
    expect(placed(list.rows)).toEqual([
      ['5K', '2', 1, 1, 40, '40-49', 1, 'FIN'],
      ['5K', '1', 2, 1, 36, '30-39', 1, 'FIN'],
      ['5K', '3', 3, 2, 26, '20-29', 1, 'FIN'],
      ['Half Marathon', '21', 1, 1, 40, '40-49', 1, 'FIN'],
      ['Half Marathon', '22', 2, 1, 34, '30-39', 1, 'FIN'],
      ['Half Marathon', '23', null, null, 26, '20-29', null, 'DNF'],
      [null, '90', null, null, null, null, null, 'FIN'],
    ]);
    // The stored places are the per-race ones (what the hub receives).
    expect(core.db.prepare(`SELECT participant_id, overall_place FROM crew_results WHERE overall_place = 1 ORDER BY participant_id`).all()).toEqual([
      { participant_id: 'e2', overall_place: 1 },
      { participant_id: 'e4', overall_place: 1 },
    ]);

    const half = await call(core, 'results.list', { event: ctEventId, race: 'r21', by: 'gender' });
    expect(half.race).toBe('r21');
    expect(half.rows.map((r) => r.bib_number)).toEqual(['22', '21', '23']);

    const exported = await call(core, 'results.exportCsv', { event: ctEventId });
    expect(exported.fileName).toBe('Harbor-Run-Day-results.csv');
    expect(exported.csv.replace(/^\uFEFF/, '').split('\r\n').slice(0, 3)).toEqual([
      'Race,Place,Bib,First Name,Last Name,Gender,Age,Age Group,Time,Chip Time,Gun Time,Gender Place,Age Group Place,Status',
      '5K,1,2,Ben,Bell,M,40,40-49,20:00,20:00,20:30,1,1,FIN',
      '5K,2,1,Ada,Amos,F,36,30-39,22:00,22:00,22:10,1,1,FIN',
    ]);
    expect(exported.csv).toContain('\r\nRace not known,,90,Gus,Gray,M,,,19:00,19:00,19:00,,,FIN\r\n');
    const halfOnly = await call(core, 'results.exportCsv', { event: ctEventId, race: 'r21' });
    expect(halfOnly.fileName).toBe('Harbor-Run-Day-Half-Marathon-results.csv');
    expect(halfOnly.rows).toBe(3);
  });

  it('names the races when asked for one the event does not have, and refuses a race in a single-race event', async () => {
    core = createTestCore();
    seedChronoTrackDay(core.db);
    seedEvent(core.db);
    const unknown = await dispatch(core, 'results.list', { event: ctEventId, race: 'r42' });
    expect(unknown.ok ? null : unknown.error).toEqual({ code: 'not_found', message: 'No race "r42" in Harbor Run Day; its races are: r5 (5K), r21 (Half Marathon).' });
    const single = await dispatch(core, 'results.list', { event: runSignUpEventId, race: 'r5' });
    expect(single.ok ? null : single.error).toEqual({ code: 'invalid_input', message: 'City 10K (runsignup) is a single race; leave out the race.' });
    // A single-race event's list and export are as before: no races, no Race column.
    expect(await call(core, 'results.list', { event: runSignUpEventId })).toMatchObject({ races: [], race: null });
    expect((await call(core, 'results.exportCsv', { event: runSignUpEventId })).csv.startsWith('\uFEFFPlace,Bib,')).toBe(true);
  });

  it('takes a Race Roster event with two sub-events as one event placed per sub-event', async () => {
    core = createTestCore();
    const { db } = core;
    db.prepare(
      `INSERT INTO raceroster_events (event_id, race_id, name, start_date, location_name) VALUES
         (700, 1, 'Lake Run › 5K', '2026-09-12T13:00:00.000Z', 'Kingston'),
         (700, 2, 'Lake Run › 10K', '2026-09-12T12:00:00.000Z', 'Kingston')`,
    ).run();
    db.prepare(
      `INSERT INTO raceroster_participants (event_id, race_id, registration_id, bib_number, first_name, last_name, gender, date_of_birth) VALUES
         (700, 1, 11, '501', 'Kim', 'Ash', 'F', '1980-01-01'),
         (700, 1, 12, '502', 'Lou', 'Birch', 'M', '1981-01-01'),
         (700, 2, 21, '1001', 'Max', 'Cedar', 'M', '1982-01-01'),
         (700, 2, 22, '1002', 'Nia', 'Dale', 'F', '1983-01-01')`,
    ).run();
    expect((await call(core, 'results.events', {})).map((e) => [e.source_provider, e.event_id, e.event_name, e.race_name])).toEqual([['raceroster', '700', 'Lake Run', null]]);
    await call(core, 'results.accept', { event: '700', fileName: 'lake.csv', content: 'Bib,Time\n501,21:00\n502,20:00\n1001,41:00\n1002,40:00\n' });
    const list = await call(core, 'results.list', { event: '700' });
    expect(list.event.eventName).toBe('Lake Run');
    expect(list.races.map((r) => [r.race_id, r.race_name])).toEqual([['1', '5K'], ['2', '10K']]);
    expect(list.rows.map((r) => [r.race_name, r.bib_number, r.overall_place, r.age])).toEqual([
      ['5K', '502', 1, 45],
      ['5K', '501', 2, 46],
      ['10K', '1002', 1, 43],
      ['10K', '1001', 2, 44],
    ]);
  });
});
