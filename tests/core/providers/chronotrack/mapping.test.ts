import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { entryRow, eventRow, ResultAssembler } from '../../../../src-main/core/providers/chronotrack/mapping.ts';
import { RecordProblem } from '../../../../src-main/core/providers/record-problems.ts';
import { openDatabase } from '../../../../src-main/core/store/database.ts';
import { upsertRows } from '../../../../src-main/core/store/upsert.ts';
import { chronotrack } from '../../../../src-main/core/providers/chronotrack/definition.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { accountLabel: 'Office laptop', timingPartnerId: null };

describe('ChronoTrack mapping of the reference fixtures', () => {
  it('maps an event: epoch-second strings to ISO UTC, the local day and flags kept', () => {
    expect(eventRow(fixture('event.json').event, context)).toEqual({
      event_id: '90412',
      event_name: 'Riverbend Half Marathon 2025',
      event_start_time: '2025-10-18T12:00:00.000Z',
      event_end_time: '2025-10-18T20:00:00.000Z',
      event_date: '2025-10-18',
      time_zone: 'America/Chicago',
      is_published: 1,
      location: '{"city":"Peoria"}',
      timing_partner_id: null,
      credentials_used: 'Office laptop',
    });
  });

  it('maps an entry with its race, wave, division and location {city, region, country}', () => {
    const row = entryRow(fixture('event_entries.json').event_entry[2], '90412', context);
    expect(row).toMatchObject({
      entry_id: '51100310',
      event_id: '90412',
      race_id: '231871',
      race_name: '5K',
      wave_name: null,
      bracket_name: 'M60-64',
      entry_bib: '3017',
      entry_race_age: 63,
      athlete_first_name: 'Wendell',
      athlete_last_name: 'Achebe',
      athlete_sex: 'M',
      athlete_birthdate: '1961-12-01',
      entry_status: 'CONF',
      entry_type: 'REG',
      team_name: null,
      credentials_used: 'Office laptop',
    });
    expect(JSON.parse(row.location as string)).toEqual({ city: 'Toronto', region: 'ON', country: 'CA' });
  });

  it('names the field and value of a malformed entry', () => {
    const entry = { ...fixture('entry.json').entry, entry_race_age: 'thirty-seven' };
    expect(() => entryRow(entry, '90412', context)).toThrow(RecordProblem);
    expect(() => entryRow(entry, '90412', context)).toThrow('entry_race_age "thirty-seven"');
    expect(() => entryRow({ ...entry, entry_id: '' }, '90412', context)).toThrow('has no entry_id');
  });

  it('assembles one result per entry from the full-course row and its split rows', () => {
    const assembler = new ResultAssembler('90412', context);
    for (const raw of fixture('event_results.json').event_results) assembler.add(raw);
    const oskar = assembler.row('51100231');
    expect(oskar).toMatchObject({
      event_id: '90412',
      entry_id: '51100231',
      results_bib: '1204',
      results_sex: 'M',
      results_age: 37,
      results_time: '01:28:03.9',
      results_gun_time: '01:28:31.6',
      results_rank: 12,
      results_pace: '6:43',
      results_race_id: '231870',
      results_race_name: 'Half Marathon',
      results_primary_bracket_name: 'M35-39',
      results_begin_chip_time: '2025-10-18T12:00:27.700Z',
      results_end_chip_time: '2025-10-18T13:28:31.600Z',
    });
    expect(JSON.parse(oskar.split_times as string)).toEqual({
      '10K': { interval_id: '611200', time: '00:41:12.3', gun_time: '00:41:40.0', pace: '6:38', rank: 14 },
    });
    expect(assembler.row('51100232').split_times).toBeNull();
  });

  it('adds places from bracket results; with two age brackets the one named like the primary bracket wins', () => {
    const rows = fixture('event_results.json').event_results;
    const full = rows.find((r: Record<string, string>) => r.results_entry_id === '51100231' && r.results_interval_full === '1');
    const place = (rank: string) => ({ ...full, results_rank: rank });
    for (const order of [['Masters', 'M35-39'], ['M35-39', 'Masters']]) {
      const assembler = new ResultAssembler('90412', context);
      for (const raw of rows) assembler.add(raw);
      expect(assembler.row('51100231')).not.toHaveProperty('results_age_group_rank');
      expect(assembler.place(place('9'), 'results_gender_rank', 'Male')).toBe('51100231');
      for (const bracket of order) assembler.place(place(bracket === 'Masters' ? '1' : '3'), 'results_age_group_rank', bracket);
      expect(assembler.row('51100231')).toMatchObject({ results_rank: 12, results_gender_rank: 9, results_age_group_rank: 3 });
    }
    // A bracket row of an entry the event results lack adds nothing.
    const assembler = new ResultAssembler('90412', context);
    expect(assembler.place(place('1'), 'results_gender_rank', 'Male')).toBeNull();
  });

  it('does not send finish columns until the full-course row has been seen', () => {
    const rows = fixture('event_results.json').event_results;
    const assembler = new ResultAssembler('90412', context);
    assembler.add(rows[0]);
    expect(assembler.row('51100231')).not.toHaveProperty('results_time');
    assembler.add(rows[1]);
    expect(assembler.row('51100231').results_time).toBe('01:28:03.9');
  });

  it('stores the fixtures and the unified views show consistent values', () => {
    const db = openDatabase(':memory:');
    const { tables } = chronotrack;
    upsertRows(db, tables.events.table, tables.events.key, [eventRow(fixture('event.json').event, context)]);
    upsertRows(db, tables.participants.table, tables.participants.key,
      fixture('event_entries.json').event_entry.map((e: unknown) => entryRow(e, '90412', context)));
    const assembler = new ResultAssembler('90412', context);
    const ids = new Set<string>(fixture('event_results.json').event_results.map((r: unknown) => assembler.add(r)));
    upsertRows(db, tables.results!.table, tables.results!.key, [...ids].map((id) => assembler.row(id)));

    const people = db.prepare(`SELECT participant_id, gender, age, city, state, bib_number FROM unified_participants
                               WHERE source_provider = 'chronotrack' ORDER BY participant_id`).all();
    expect(people).toEqual([
      { participant_id: '51100231', gender: 'M', age: 37, city: 'Peoria', state: 'IL', bib_number: '1204' },
      { participant_id: '51100232', gender: 'F', age: 30, city: 'Normal', state: 'IL', bib_number: '1205' },
      { participant_id: '51100310', gender: 'M', age: 63, city: 'Toronto', state: 'ON', bib_number: '3017' },
    ]);
    // Without entry_race_age the view computes the age from the birthdate on the race day.
    db.prepare(`UPDATE ct_participants SET entry_race_age = NULL`).run();
    expect(db.prepare(`SELECT age FROM unified_participants WHERE participant_id = '51100231'`).get()).toEqual({ age: 37 });

    const results = db.prepare(`SELECT participant_id, gender, age, results_time, overall_place, status FROM unified_results ORDER BY 1`).all();
    expect(results).toEqual([
      { participant_id: '51100231', gender: 'M', age: 37, results_time: '01:28:03.9', overall_place: 12, status: 'finished' },
      { participant_id: '51100232', gender: 'F', age: 30, results_time: '01:35:47.2', overall_place: 21, status: 'finished' },
    ]);
    db.close();
  });
});
