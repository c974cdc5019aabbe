import { describe, it, expect, afterEach } from 'vitest';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { seedEvent, eventId } from './seed.ts';
import { seedChronoTrackDay, ctEventId } from './races-seed.ts';

let core: TestCore;
afterEach(() => core?.cleanup());

/* City 10K on 2026-05-10: Bob (102) turns 30 the day after the race, Cid (103) on race day; Ann has only the provider's age. */
const file = ['Bib,Chip Time,Gun Time,Status', '101,40:10.4,40:30,', '102,41:00,41:20,', '103,41:00,41:05,', '104,45:00,45:30,', '105,,,DNF', ''].join('\n');

const table = (db: TestCore['db']) =>
  (db.prepare(`SELECT bib_number, age, age_group, gender_place, age_group_place FROM crew_results ORDER BY bib_number`).all() as Array<Record<string, unknown>>).map(
    (r) => [r.bib_number, r.age, r.age_group, r.gender_place, r.age_group_place],
  );

describe('award rules per event', () => {
  it('ages runners on race day, on 31 December or on the provider date, and excludes overall winners from age groups', async () => {
    core = createTestCore();
    seedEvent(core.db);
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: file });
    expect(await call(core, 'results.settings.get', { event: eventId })).toMatchObject({ ageBasis: 'race_day', excludeOverallPlaces: 0 });
    expect(table(core.db)).toEqual([
      ['101', 34, '30-39', 1, 1],
      ['102', 29, '20-29', 1, 1],
      ['103', 30, '30-39', 1, 1],
      ['104', 45, '40-49', 2, 1],
      ['105', 22, '20-29', null, null],
    ]);

    // On 31 December Bob is 30: he joins Cid in M30-39, where their equal times share first place.
    const yearEnd = await call(core, 'results.settings.set', { event: eventId, ageBasis: 'year_end' });
    expect(yearEnd).toMatchObject({ ageBasis: 'year_end', placesChanged: 1 });
    expect(table(core.db)[1]).toEqual(['102', 30, '30-39', 1, 1]);
    // The same file again is unchanged: the import ages runners on the event's basis too.
    const again = await call(core, 'results.preview', { event: eventId, fileName: 'finish.csv', content: file });
    expect(again.counts).toMatchObject({ unchanged: 5, update: 0 });

    // Top 1 of each gender out of the age groups: Ann (F 1), Bob and Cid (tied M 1); Dee stays first of F40-49.
    await call(core, 'results.settings.set', { event: eventId, excludeOverallPlaces: 1 });
    expect(table(core.db)).toEqual([
      ['101', 34, '30-39', 1, null],
      ['102', 30, '30-39', 1, null],
      ['103', 30, '30-39', 1, null],
      ['104', 45, '40-49', 2, 1],
      ['105', 22, '20-29', null, null],
    ]);

    // RunSignUp's age_calc_base_date: on 1 January 2026 both Bob and Cid are 29.
    core.db.prepare(`UPDATE runsignup_events SET age_calc_base_date = '2026-01-01' WHERE event_id = 5001`).run();
    await call(core, 'results.settings.set', { event: eventId, ageBasis: 'provider_date', excludeOverallPlaces: 0 });
    expect(table(core.db).slice(1, 3)).toEqual([
      ['102', 29, '20-29', 1, 1],
      ['103', 29, '20-29', 1, 1],
    ]);
    expect(await call(core, 'results.settings.get', { event: eventId })).toEqual({
      placeBy: 'chip', ageBrackets: [0, 20, 30, 40, 50, 60, 70], ageBasis: 'provider_date', excludeOverallPlaces: 0,
    });
  });

  it('refuses the provider date for a provider that has none, and a negative exclusion', async () => {
    core = createTestCore();
    seedChronoTrackDay(core.db);
    const refused = await dispatch(core, 'results.settings.set', { event: ctEventId, ageBasis: 'provider_date' });
    expect(refused.ok ? null : refused.error).toEqual({
      code: 'invalid_input',
      message: 'chronotrack events carry no age calculation date; use race_day or year_end for Harbor Run Day.',
    });
    const negative = await dispatch(core, 'results.settings.set', { event: ctEventId, excludeOverallPlaces: -1 });
    expect(negative.ok).toBe(false);
    expect(await call(core, 'results.settings.get', { event: ctEventId })).toMatchObject({ ageBasis: 'race_day', excludeOverallPlaces: 0 });
  });
});
