import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { migrateHub, newestHubVersion } from '../../../src-main/core/hub/migrate.ts';
import { hubMigrations } from '../../../src-main/core/hub/migrations/index.ts';
import { pushableTables } from '../../../src-main/core/store/pushable-tables.ts';
import { query, seedHubSql } from './hub-test-kit.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const seedTables = [
  'timing_partners', 'providers', 'users', 'sync_queue', 'sync_history',
  'runsignup_events', 'runsignup_participants', 'ct_events', 'ct_participants', 'ct_results',
  'raceroster_events', 'raceroster_participants', 'copernico_events', 'copernico_participants',
  'copernico_results', 'haku_events', 'haku_participants',
];
const seedIndexes = [
  'idx_runsignup_events_start_time', 'idx_raceroster_events_start_date',
  'idx_haku_events_start_date', 'idx_runsignup_participants_email', 'idx_runsignup_participants_bib',
  'idx_ct_participants_bib', 'idx_raceroster_participants_bib',
];
// The seed's indexes on timing_partner_id alone, which migration 31 drops: each table's natural key leads with that column.
const partnerOnlyIndexes = {
  idx_runsignup_participants_timing_partner: 'runsignup_participants_natural_key',
  idx_ct_participants_timing_partner: 'ct_participants_natural_key',
  idx_raceroster_participants_timing_partner: 'raceroster_participants_natural_key',
  idx_copernico_participants_timing_partner: 'copernico_participants_natural_key',
  idx_haku_participants_timing_partner: 'haku_participants_event_key',
};

async function schemaOf(url: string) {
  const columns = await query<{ table_name: string; column_name: string; data_type: string }>(
    url,
    `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const indexes = await query<{ indexname: string }>(url, `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
  const views = await query<{ table_name: string }>(url, `SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY table_name`);
  return {
    columns: columns.map((c) => `${c.table_name}.${c.column_name}:${c.data_type}`),
    indexes: indexes.map((i) => i.indexname),
    views: views.map((v) => v.table_name),
  };
}

async function sources(url: string, view: string): Promise<string[]> {
  const rows = await query<{ source_provider: string }>(url, `SELECT DISTINCT source_provider FROM ${view} ORDER BY 1`);
  return rows.map((r) => r.source_provider);
}

/** One row per provider in every provider table, as the admin. */
async function oneRowPerProvider(url: string): Promise<void> {
  await query(url, `
    INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (1, 'Acme Timing') ON CONFLICT DO NOTHING;
    INSERT INTO runsignup_events (event_id, race_id, name, start_time, timing_partner_id) VALUES (11, 1, '5K', '2025-06-14 08:00', 1);
    INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, dob, gender, address, timing_partner_id)
      VALUES (1, 11, 111, 'Ana', '1990-06-15', 'Female', '{"city":"Bend","state":"OR"}', 1);
    INSERT INTO ct_events (event_id, event_name, event_start_time, timing_partner_id) VALUES ('E2', 'Trail', '2025-06-14 08:00', 1);
    INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, athlete_sex, timing_partner_id) VALUES ('N2', 'E2', 'Bo', 'M', 1);
    INSERT INTO ct_results (event_id, entry_id, results_bib, results_time, timing_partner_id) VALUES ('E2', 'N2', '7', '0:20:00', 1);
    INSERT INTO raceroster_events (event_id, race_id, name, timing_partner_id) VALUES (3, 31, 'Half', 1);
    INSERT INTO raceroster_participants (event_id, race_id, registration_id, first_name, timing_partner_id) VALUES (3, 31, 333, 'Cy', 1);
    INSERT INTO copernico_events (event_id, event_name, timing_partner_id) VALUES ('C4', 'Cross', 1);
    INSERT INTO copernico_participants (event_id, participant_id, first_name, timing_partner_id) VALUES ('C4', 'P4', 'Di', 1);
    INSERT INTO copernico_results (event_id, participant_id, total_time, timing_partner_id) VALUES ('C4', 'P4', '00:31:00', 1);
    INSERT INTO haku_events (event_id, event_name, timing_partner_id) VALUES ('H5', 'Relay', 1);
    INSERT INTO haku_participants (event_id, participant_id, first_name, timing_partner_id) VALUES ('H5', 'R5', 'Ed', 1);
    INSERT INTO local_participants (timing_partner_id, participant_id, source_provider, event_id, first_name, station_name, created_at, updated_at)
      VALUES (1, 'w-1', 'runsignup', '11', 'Flo', 'Desk 1', now(), now());
    INSERT INTO crew_results (timing_partner_id, source_provider, event_id, participant_id, chip_time_ms, status, updated_at)
      VALUES (1, 'runsignup', '11', '111', 1234567, 'FIN', now());
  `);
}

describe('hub migrations', () => {
  it('build an empty hub: every seed table and index, the push tables, and views over all five providers', async () => {
    const url = await server.createDatabase();
    const result = await migrateHub({ url });
    expect(result.applied.map((m) => m.version)).toEqual(hubMigrations.map((m) => m.version));
    expect(result.version).toBe(newestHubVersion);

    const schema = await schemaOf(url);
    const tables = new Set(schema.columns.map((c) => c.split('.')[0]));
    for (const table of [...seedTables, ...pushableTables.map((t) => t.table), 'hub_applied_batches', 'hub_partner_roles']) {
      expect(tables, table).toContain(table);
    }
    expect(schema.indexes).toEqual(expect.arrayContaining([...seedIndexes, ...Object.values(partnerOnlyIndexes)]));
    expect(schema.indexes.filter((index) => index in partnerOnlyIndexes)).toEqual([]);
    expect(schema.columns).toEqual(expect.arrayContaining(['ct_results.entry_id:character varying', 'sync_history.laptop_id:character varying']));
    expect(schema.views).toEqual(expect.arrayContaining(['unified_events', 'unified_participants', 'unified_results']));

    await oneRowPerProvider(url);
    expect(await sources(url, 'unified_events')).toEqual(['chronotrack', 'copernico', 'haku', 'raceroster', 'runsignup']);
    expect(await sources(url, 'unified_participants')).toEqual(['chronotrack', 'copernico', 'haku', 'local', 'raceroster', 'runsignup']);
    expect(await sources(url, 'unified_results')).toEqual(['chronotrack', 'copernico', 'crew']);
    const [ana] = await query(url, `SELECT gender, city, age, participant_id FROM unified_participants WHERE first_name = 'Ana'`);
    expect(ana).toEqual({ gender: 'F', city: 'Bend', age: 34, participant_id: '111' });
    const [crew] = await query(url, `SELECT results_time, status FROM unified_results WHERE source_provider = 'crew'`);
    expect(crew).toEqual({ results_time: '0:20:34.567', status: 'finished' });
  });

  it('are safe to run twice: the second run applies nothing and changes nothing', async () => {
    const url = await server.createDatabase();
    await migrateHub({ url });
    const before = await schemaOf(url);
    const again = await migrateHub({ url });
    expect(again.applied).toEqual([]);
    expect(await schemaOf(url)).toEqual(before);
    expect(await query(url, `SELECT version FROM hub_schema_migrations ORDER BY version`)).toEqual(hubMigrations.map((m) => ({ version: m.version })));
  });

  it('recreate views that are not this RaceDesk\'s, with no migration pending, and leave current ones alone', async () => {
    const url = await server.createDatabase();
    await migrateHub({ url });
    const oid = async () => (await query<{ oid: number }>(url, `SELECT 'public.unified_events'::regclass::oid AS oid`))[0].oid;
    const current = await oid();
    await migrateHub({ url });
    expect(await oid()).toBe(current);

    await query(url, `DROP VIEW unified_results; CREATE VIEW unified_results AS SELECT 'old'::varchar AS source_provider`);
    expect((await migrateHub({ url })).applied).toEqual([]);
    await oneRowPerProvider(url);
    expect(await sources(url, 'unified_results')).toEqual(['chronotrack', 'copernico', 'crew']);
    // Still read through row-level security, by the partners too.
    const [view] = await query<{ options: string[] | null; granted: boolean }>(
      url,
      `SELECT c.reloptions AS options, has_table_privilege('racedesk_partner', c.oid, 'SELECT') AS granted FROM pg_class c WHERE c.oid = 'public.unified_results'::regclass`,
    );
    expect(view).toEqual({ options: ['security_invoker=true'], granted: true });
  });

  it('upgrade a hub that already has the seed tables, adding only what is missing and keeping its rows', async () => {
    const url = await server.createDatabase();
    await query(url, seedHubSql);
    await query(url, `
      INSERT INTO timing_partners (company_name) VALUES ('Legacy Timing');
      INSERT INTO ct_events (event_id, event_name, timing_partner_id) VALUES ('E1', 'Old race', 1);
      INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, timing_partner_id) VALUES ('N1', 'E1', 'Gus', 1);
      INSERT INTO ct_results (event_id, results_bib, results_time, timing_partner_id) VALUES ('E1', '12', '0:40:00', 1);
    `);
    const seeded = await schemaOf(url);
    await migrateHub({ url });
    const migrated = await schemaOf(url);

    // Every seed column is still there with its type (surrogate ids widened to bigint); new columns and indexes were added.
    const widened = (c: string) => c.replace(/^(\w+\.id):integer$/, '$1:bigint');
    const removed = seeded.columns.filter((c) => !migrated.columns.includes(c) && !migrated.columns.includes(widened(c)) && !seeded.views.includes(c.split('.')[0]));
    expect(removed).toEqual([]);
    expect(migrated.columns).toContain('ct_results.entry_id:character varying');
    expect(seeded.indexes).toEqual(expect.arrayContaining(Object.keys(partnerOnlyIndexes)));
    expect(migrated.indexes).toEqual(expect.arrayContaining([...seedIndexes, ...Object.values(partnerOnlyIndexes), 'ct_results_natural_key']));
    expect(migrated.indexes.filter((index) => index in partnerOnlyIndexes)).toEqual([]);
    // The seed's global key on the provider id is gone: ct_participants is keyed per partner.
    expect(await query(url, `SELECT conname FROM pg_constraint WHERE conname = 'ct_participants_pkey'`)).toEqual([]);
    const [key] = await query(url, `SELECT indexdef FROM pg_indexes WHERE indexname = 'ct_participants_natural_key'`);
    expect(key.indexdef).toMatch(/UNIQUE INDEX .* \(timing_partner_id, entry_id\)$/);
    // The legacy rows survive and show in the new views (a result without entry id included).
    expect(await query(url, `SELECT source_provider, first_name FROM unified_participants`)).toEqual([{ source_provider: 'chronotrack', first_name: 'Gus' }]);
    expect(await query(url, `SELECT bib_number, participant_id FROM unified_results`)).toEqual([{ bib_number: '12', participant_id: null }]);

    await oneRowPerProvider(url);
    expect(await sources(url, 'unified_events')).toEqual(['chronotrack', 'copernico', 'haku', 'raceroster', 'runsignup']);
    expect((await migrateHub({ url })).applied).toEqual([]);
  });

  it('upgrade a version-4 hub with partners in place: logins still connect, rows stay, ids continue after the old sequences', async () => {
    const url = await server.createDatabase();
    await migrateHub({ url }, hubMigrations.filter((m) => m.version <= 4));
    // Partners as version 4's add-partner made them (no CONNECT of their own: PUBLIC had it).
    const role = `racedesk_p1_${randomBytes(3).toString('hex')}`;
    await query(url, `
      INSERT INTO timing_partners (company_name) VALUES ('Legacy Timing');
      CREATE ROLE ${role} LOGIN PASSWORD 'legacy-password' IN ROLE racedesk_partner;
      INSERT INTO hub_partner_roles (role_name, timing_partner_id) VALUES ('${role}', 1);
      INSERT INTO ct_events (event_id, event_name, timing_partner_id) VALUES ('E1', 'Old race', 1);
      INSERT INTO ct_results (event_id, entry_id, results_time, timing_partner_id) VALUES ('E1', 'N1', '0:40:00', 1), ('E1', 'N2', '0:41:00', 1);
    `);
    await migrateHub({ url });
    const login = new URL(url);
    login.username = role;
    login.password = 'legacy-password';
    expect(await query(login.toString(), `SELECT event_id FROM unified_events`)).toEqual([{ event_id: 'E1' }]);
    const [next] = await query(login.toString(), `INSERT INTO ct_results (event_id, entry_id, timing_partner_id) VALUES ('E1', 'N3', 1) RETURNING id`);
    expect(next).toEqual({ id: '3' });
    expect(await query(url, `SELECT entry_id, id FROM ct_results ORDER BY id`)).toEqual([
      { entry_id: 'N1', id: '1' },
      { entry_id: 'N2', id: '2' },
      { entry_id: 'N3', id: '3' },
    ]);
  });

  it('stop with a clear message, changing nothing, when the hub holds one registration twice', async () => {
    const url = await server.createDatabase();
    await query(url, seedHubSql);
    await query(url, `
      INSERT INTO timing_partners (company_name) VALUES ('Legacy Timing');
      INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, timing_partner_id)
        VALUES (1, 11, 555, 'Hal', 1), (1, 11, 555, 'Hal', 1);
    `);
    await expect(migrateHub({ url })).rejects.toThrow(/runsignup_participants holds 2 rows for timing partner 1 and registration_id 555/);
    expect(await query(url, `SELECT to_regclass('public.hub_schema_migrations') AS t, to_regclass('public.participant_changes') AS p`)).toEqual([{ t: null, p: null }]);
  });

  it('run from two processes at once: one migrates, the other waits and finds nothing to do', async () => {
    const url = await server.createDatabase();
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'migrate-child.ts'), url], {
        cwd: join(import.meta.dirname, '../../..'),
      }).then(({ stdout }) => JSON.parse(stdout) as { applied: unknown[] });
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, hubMigrations.length]);
    expect(await query(url, `SELECT count(*)::int AS n FROM hub_schema_migrations`)).toEqual([{ n: hubMigrations.length }]);
  });

  it('refuse a hub newer than this RaceDesk', async () => {
    const url = await server.createDatabase();
    await migrateHub({ url });
    await query(url, `INSERT INTO hub_schema_migrations (version, name) VALUES (999, 'from the future')`);
    await expect(migrateHub({ url })).rejects.toThrow(/The hub was written by a newer RaceDesk \(schema version 999; this RaceDesk knows up to \d+\)/);
  });

  it('refuse, changing nothing, a migration registered below one the hub already has', async () => {
    const url = await server.createDatabase();
    const newest = hubMigrations.at(-1)?.version ?? 0;
    const later = { version: newest + 10, name: 'later-area', up: 'CREATE TABLE later_area (x INTEGER)' };
    const late = { version: newest + 5, name: 'late-area', up: 'CREATE TABLE late_area (x INTEGER)' };
    await migrateHub({ url }, [...hubMigrations, later]);
    await expect(migrateHub({ url }, [...hubMigrations, late, later])).rejects.toThrow(
      new RegExp(`The hub has migration ${later.version} \\(later-area\\) applied but not migration ${late.version} \\(late-area\\).*renumbered above ${later.version}`),
    );
    expect(await query(url, `SELECT to_regclass('public.late_area') AS t`)).toEqual([{ t: null }]);
    expect(await query(url, `SELECT max(version)::int AS v FROM hub_schema_migrations`)).toEqual([{ v: later.version }]);
  });

  it('refuse a hub whose ledger names a migration under another name', async () => {
    const url = await server.createDatabase();
    await migrateHub({ url });
    const renamed = hubMigrations.map((m, i) => (i === 1 ? { ...m, name: 'renamed' } : m));
    await expect(migrateHub({ url }, renamed)).rejects.toThrow(new RegExp(`The hub records migration ${hubMigrations[1].version} as "${hubMigrations[1].name}", which this RaceDesk calls "renamed"`));
  });
});
