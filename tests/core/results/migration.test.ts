import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, schemaVersion, type Db } from '../../../src-main/core/store/database.ts';
import { migrations } from '../../../src-main/core/store/migrations/index.ts';

let dir: string;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const providerResults = (database: Db) =>
  database
    .prepare(
      `SELECT source_provider, event_id, participant_id, bib_number, first_name, gender, age, results_time, results_gun_time, overall_place, status
       FROM unified_results WHERE source_provider <> 'crew' ORDER BY source_provider, participant_id`,
    )
    .all();

describe('migration 0060 (crew results)', () => {
  it('upgrades a store with provider results and shows them in unified_results beside the crew arm', () => {
    dir = mkdtempSync(join(tmpdir(), 'racedesk-migration-60-'));
    const path = join(dir, 'store.sqlite');
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 60) });
    before.exec(`
      INSERT INTO ct_events (event_id, event_name, event_start_time) VALUES ('ct-1', 'Harbor Half', '2026-06-01T07:00:00Z');
      INSERT INTO ct_participants (entry_id, event_id, entry_bib, athlete_first_name, athlete_last_name, athlete_sex, entry_status)
        VALUES ('e1', 'ct-1', '7', 'Ola', 'Berg', 'F', 'DNF');
      INSERT INTO ct_results (event_id, entry_id, results_bib, results_first_name, results_sex, results_time, results_gun_time, results_rank)
        VALUES ('ct-1', 'e1', '7', 'Ola', 'F', '1:30:00', '1:30:05', 1);
      INSERT INTO copernico_events (event_id, event_name, event_date) VALUES ('cop-1', 'Trail', '2026-07-01');
      INSERT INTO copernico_participants (event_id, participant_id, gender, date_of_birth) VALUES ('cop-1', 'a1', 'male', '1990-07-02');
      INSERT INTO copernico_results (event_id, participant_id, bib_number, total_time, gun_time, overall_position, status)
        VALUES ('cop-1', 'a1', '9', '2:00:00.000', '2:00:10.000', 1, 'Retired');
    `);
    before.close();

    db = openDatabase(path);
    expect(schemaVersion(db)).toBe(migrations.at(-1)?.version);
    expect(providerResults(db)).toEqual([
      { source_provider: 'chronotrack', event_id: 'ct-1', participant_id: 'e1', bib_number: '7', first_name: 'Ola', gender: 'F', age: null, results_time: '1:30:00', results_gun_time: '1:30:05', overall_place: 1, status: 'dnf' },
      // A Copernico runner's id carries its event (store/runner-id.ts).
      { source_provider: 'copernico', event_id: 'cop-1', participant_id: 'cop-1:a1', bib_number: '9', first_name: null, gender: 'M', age: 35, results_time: '2:00:00.000', results_gun_time: '2:00:10.000', overall_place: 1, status: 'dnf' },
    ]);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('unified_results')`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual([
      'source_provider', 'timing_partner_id', 'event_id', 'participant_id', 'bib_number', 'first_name', 'last_name',
      'gender', 'age', 'results_time', 'results_gun_time', 'overall_place', 'gender_place', 'age_group_place', 'status', 'fetched_date',
    ]);
    db.prepare(`INSERT INTO crew_results (source_provider, event_id, participant_id, bib_number, chip_time_ms, status, overall_place)
                VALUES ('chronotrack', 'ct-1', 'e1', '7', 5399000, 'DQ', NULL)`).run();
    expect(db.prepare(`SELECT results_time, results_gun_time, status FROM unified_results WHERE source_provider = 'crew'`).get()).toEqual({
      results_time: '1:29:59.000', results_gun_time: null, status: 'dq',
    });
    expect(() => db!.prepare(`INSERT INTO crew_results (source_provider, event_id, participant_id, status) VALUES ('chronotrack', 'ct-1', 'e1', 'FIN')`).run()).toThrow(/UNIQUE/);
    expect(() => db!.prepare(`INSERT INTO crew_results (source_provider, event_id, participant_id, status) VALUES ('chronotrack', 'ct-1', 'e2', 'LOST')`).run()).toThrow(/CHECK/);
  });
});

describe('migration 0061 (award rules)', () => {
  it('keeps an event’s settings and gives it race-day ages without exclusions', () => {
    dir = mkdtempSync(join(tmpdir(), 'racedesk-migration-61-'));
    const path = join(dir, 'store.sqlite');
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 61) });
    before.prepare(`INSERT INTO results_event_settings (source_provider, event_id, place_by, age_brackets) VALUES ('runsignup', '5001', 'gun', '[0,40]')`).run();
    before.close();

    db = openDatabase(path);
    expect(db.prepare(`SELECT place_by, age_brackets, age_basis, exclude_overall_places FROM results_event_settings`).all()).toEqual([
      { place_by: 'gun', age_brackets: '[0,40]', age_basis: 'race_day', exclude_overall_places: 0 },
    ]);
    expect(() => db!.prepare(`UPDATE results_event_settings SET age_basis = 'birthday'`).run()).toThrow(/CHECK/);
  });
});
