import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase, schemaVersion } from '../../../src-main/core/store/database.ts';
import { migrations } from '../../../src-main/core/store/migrations/index.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-db-'));
  dirs.push(dir);
  return join(dir, 'racedesk.sqlite');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const newest = migrations[migrations.length - 1].version;

describe('local store', () => {
  it('migrates an empty file to the newest version with WAL, foreign keys and STRICT tables', () => {
    const db = openDatabase(tempDb());
    expect(schemaVersion(db)).toBe(newest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string; strict: number }>;
    for (const name of ['timing_partners', 'providers', 'sync_queue', 'sync_history', 'runsignup_events', 'runsignup_participants', 'ct_events', 'ct_participants', 'ct_results', 'raceroster_events', 'raceroster_participants', 'copernico_events', 'copernico_participants', 'copernico_results', 'haku_events', 'haku_participants']) {
      expect(tables.find((t) => t.name === name), name).toBeDefined();
    }
    expect(tables.filter((t) => t.strict !== 1).map((t) => t.name)).toEqual([]);
    db.close();
  });

  it('recreates a view whose definition is not this RaceDesk\'s on open, and leaves current views alone', () => {
    const path = tempDb();
    const first = openDatabase(path);
    first.exec(`DROP VIEW event_ids; DROP VIEW unified_results; CREATE VIEW unified_results AS SELECT 'old' AS source_provider`);
    first.close();
    const db = openDatabase(path);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('unified_results')`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(['source_provider', 'timing_partner_id', 'event_id', 'participant_id', 'bib_number', 'first_name', 'last_name', 'gender', 'age', 'results_time', 'results_gun_time', 'overall_place', 'gender_place', 'age_group_place', 'status', 'fetched_date']);
    expect(db.prepare(`SELECT count(*) AS n FROM event_ids`).get()).toEqual({ n: 0 });
    const schemaChanges = db.pragma('schema_version', { simple: true });
    db.close();
    const again = openDatabase(path);
    expect(again.pragma('schema_version', { simple: true })).toBe(schemaChanges);
    again.close();
  });

  it('keeps every column of the hub schema in the provider tables', () => {
    const db = openDatabase(tempDb());
    const columns = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => c.name);
    expect(columns('runsignup_participants')).toEqual(expect.arrayContaining(['race_id', 'event_id', 'registration_id', 'user_id', 'first_name', 'middle_name', 'last_name', 'email', 'address', 'dob', 'gender', 'phone', 'profile_image_url', 'bib_num', 'chip_num', 'age', 'registration_date', 'team_info', 'payment_info', 'additional_data', 'fetched_date', 'credentials_used', 'timing_partner_id', 'created_at', 'race_fee', 'amount_paid', 'team_name', 'fundraiser_charity_name']));
    expect(columns('ct_participants')).toEqual(expect.arrayContaining(['entry_id', 'event_id', 'race_id', 'entry_external_id', 'entry_name', 'entry_type', 'entry_status', 'entry_bib', 'entry_race_age', 'athlete_id', 'athlete_first_name', 'athlete_last_name', 'athlete_sex', 'athlete_birthdate', 'athlete_email', 'athlete_home_phone', 'athlete_mobile_phone', 'location', 'team_id', 'team_name']));
    expect(columns('copernico_results')).toEqual(expect.arrayContaining(['split_times', 'total_time', 'overall_position', 'category_position', 'status']));
    expect(columns('haku_participants')).toEqual(expect.arrayContaining(['participant_id', 'emergency_contact', 'team_affiliation', 'special_requirements']));
    db.close();
  });

  it('refuses a database written by a newer RaceDesk, with a clear message', () => {
    const path = tempDb();
    openDatabase(path).close();
    const newer = openDatabase(path);
    newer.pragma(`user_version = ${newest + 1}`);
    newer.close();
    expect(() => openDatabase(path)).toThrow(/newer RaceDesk.*Update RaceDesk/);
  });

  it('refuses a database whose ledger records a newer migration, even when user_version is unchanged', () => {
    const path = tempDb();
    openDatabase(path).close();
    const newer = openDatabase(path);
    newer.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 'now')`).run(newest + 1);
    newer.close();
    expect(() => openDatabase(path)).toThrow(/newer RaceDesk \(schema version \d+; this RaceDesk knows up to \d+\)/);
  });

  it('records every applied migration by version and name in the ledger', () => {
    const db = openDatabase(tempDb());
    const ledger = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string; applied_at: string | null }>;
    expect(ledger.map(({ version, name }) => ({ version, name }))).toEqual(migrations.map(({ version, name }) => ({ version, name })));
    expect(ledger.every((entry) => entry.applied_at !== null)).toBe(true);
    db.close();
  });

  it('refuses, changing nothing, a migration registered below one the database already has', () => {
    const path = tempDb();
    const later = { version: newest + 10, name: 'later-area', up: 'CREATE TABLE later_area (x INTEGER) STRICT' };
    const late = { version: newest + 5, name: 'late-area', up: 'CREATE TABLE late_area (x INTEGER) STRICT' };
    openDatabase(path, { migrations: [...migrations, later] }).close();
    expect(() => openDatabase(path, { migrations: [...migrations, late, later] })).toThrow(
      new RegExp(`racedesk\\.sqlite has migration ${later.version} \\(later-area\\) applied but not migration ${late.version} \\(late-area\\).*renumbered above ${later.version}`),
    );
    const db = new Database(path);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'late_area'`).get()).toBeUndefined();
    expect((db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(later.version);
    db.close();
  });

  it('refuses a database whose ledger names a migration this build lists under another name, or does not list', () => {
    const path = tempDb();
    openDatabase(path).close();
    const renamed = migrations.map((m, i) => (i === 2 ? { ...m, name: 'renamed' } : m));
    expect(() => openDatabase(path, { migrations: renamed })).toThrow(new RegExp(`records migration ${migrations[2].version} as "${migrations[2].name}", which this RaceDesk calls "renamed"`));
    const without = migrations.filter((_, i) => i !== 2);
    expect(() => openDatabase(path, { migrations: without })).toThrow(new RegExp(`records migration ${migrations[2].version} \\(${migrations[2].name}\\), which this RaceDesk does not have`));
  });

  it('adopts a database from before the ledger (user_version only) on first open, then refuses a late migration', () => {
    const path = tempDb();
    const older = migrations.filter((m) => m.version <= 40);
    // What the runner before the ledger left: the schema and PRAGMA user_version, nothing else.
    const before = openDatabase(path, { migrations: older });
    before.exec('DROP TABLE schema_migrations');
    expect(schemaVersion(before)).toBe(40);
    before.prepare(`INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (7, 'Acme Timing')`).run();
    before.close();

    const db = openDatabase(path);
    const ledger = db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as Array<{ version: number; applied_at: string | null }>;
    expect(ledger.filter((e) => e.applied_at === null).map((e) => e.version)).toEqual(older.map((m) => m.version));
    expect(ledger.filter((e) => e.applied_at !== null).map((e) => e.version)).toEqual(migrations.filter((m) => m.version > 40).map((m) => m.version));
    expect(db.prepare('SELECT company_name FROM timing_partners').get()).toEqual({ company_name: 'Acme Timing' });
    db.close();

    const late = { version: 35, name: 'late-sync-engine', up: 'CREATE TABLE late_sync (x INTEGER) STRICT' };
    const withLate = [...migrations.filter((m) => m.version < 35), late, ...migrations.filter((m) => m.version > 35)];
    expect(migrations.some((m) => m.version === 35)).toBe(false);
    expect(() => openDatabase(path, { migrations: withLate })).toThrow(/not migration 35 \(late-sync-engine\)/);
  });

  it('re-opening applies nothing twice', () => {
    const path = tempDb();
    const db = openDatabase(path);
    db.prepare(`INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (7, 'Acme Timing')`).run();
    db.close();
    const again = openDatabase(path);
    expect(again.prepare('SELECT count(*) AS n FROM providers').get()).toEqual({ n: 5 });
    expect(again.prepare('SELECT company_name FROM timing_partners').get()).toEqual({ company_name: 'Acme Timing' });
    again.close();
  });

  it('migrating from version 1 with rows in it indexes those rows for lookup', () => {
    const path = tempDb();
    const v1 = openDatabase(path, { migrations: migrations.filter((m) => m.version === 1) });
    v1.prepare(`INSERT INTO runsignup_events (event_id, race_id, name) VALUES (1, 10, '5K')`).run();
    v1.prepare(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES (10, 1, 500, 'Zoë', 'O''Brien', '42')`).run();
    v1.close();
    const db = openDatabase(path);
    expect(db.prepare('SELECT provider, participant_id, bib, first_fold, last_fold FROM participant_search').all()).toEqual([
      { provider: 'runsignup', participant_id: '500', bib: '42', first_fold: 'zoe', last_fold: 'obrien' },
    ]);
    db.close();
  });

  it('a natural key turns a second write of the same registration into an update', () => {
    const db = openDatabase(tempDb());
    db.prepare(`INSERT INTO runsignup_events (event_id, race_id, name) VALUES (1, 10, '5K')`).run();
    const insert = db.prepare(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name) VALUES (10, 1, 500, 'A')`);
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('unified views', () => {
  it('fold gender to one spelling and compute age from date of birth on the event day', () => {
    const db = openDatabase(tempDb());
    db.prepare(`INSERT INTO ct_events (event_id, event_name, event_start_time) VALUES ('E1', 'City Run', '2025-06-14T08:00:00Z')`).run();
    db.prepare(`INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, athlete_sex, athlete_birthdate, location) VALUES ('x1', 'E1', 'Ann', 'female', '1990-06-15', '{"city":"Gent","region":"VOV"}')`).run();
    db.prepare(`INSERT INTO haku_events (event_id, event_name, start_date) VALUES ('h1', 'Trail', '2025-06-14T08:00:00Z')`).run();
    db.prepare(`INSERT INTO haku_participants (event_id, participant_id, first_name, gender, date_of_birth, city, state) VALUES ('h1', 'R1', 'Bo', 'M', '1990-06-14', 'Boise', 'ID')`).run();
    const rows = db.prepare(`SELECT source_provider, gender, age, city, state FROM unified_participants ORDER BY source_provider`).all();
    expect(rows).toEqual([
      { source_provider: 'chronotrack', gender: 'F', age: 34, city: 'Gent', state: 'VOV' },
      { source_provider: 'haku', gender: 'M', age: 35, city: 'Boise', state: 'ID' },
    ]);
    db.close();
  });
});
