import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { seedVenue, runners } from '../pickup/seed.ts';
import { deleteRows, upsertRows } from '../../../src-main/core/store/upsert.ts';
import { rebuildSearchIndex } from '../../../src-main/core/store/search-index.ts';
import { migrate, openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { migrations } from '../../../src-main/core/store/migrations/index.ts';
import { writePulledBatch } from '../../../src-main/core/hub/pulled-rows.ts';
import { pushedColumns, localColumnTypes } from '../../../src-main/core/hub/outbox.ts';
import { pushableTable } from '../../../src-main/core/store/pushable-tables.ts';
import { lookupParticipants } from '../../../src-main/core/lookup/lookup.ts';

/*
 * The lookup index is written by each writer as it writes (store/search-index.ts); whatever the
 * writes were, it must hold exactly what a rebuild from the runners' tables gives.
 */
const indexOf = (db: Db) => ({
  search: db.prepare('SELECT * FROM participant_search ORDER BY provider, participant_id').all(),
  tokens: db.prepare('SELECT * FROM participant_name_tokens ORDER BY provider, participant_id, token').all(),
});

function expectIndexAsRebuilt(db: Db): void {
  const kept = indexOf(db);
  db.transaction(() => rebuildSearchIndex(db))();
  expect(kept).toEqual(indexOf(db));
}

const person = (registration_id: number, event_id: number, first_name: string, last_name: string, bib_num: string, email: string | null = null, phone: string | null = null) => ({
  registration_id,
  event_id,
  race_id: 1,
  first_name,
  last_name,
  bib_num,
  email,
  phone,
});

function seedHaku(db: Db): void {
  upsertRows(db, 'haku_events', ['event_id'], [{ event_id: 'aaaaaaaaaaaaaaaaaaaa', event_name: 'Riverfront 10K', start_date: '2026-05-02' }]);
  upsertRows(db, 'haku_participants', ['event_id', 'participant_id'], [
    { event_id: 'aaaaaaaaaaaaaaaaaaaa', participant_id: 'R-1001', first_name: 'Dana', last_name: "D'Arcy-Núñez", bib_number: '1187', email: 'Dana@Example.com', phone: '(614) 555 0101' },
  ]);
}

/** A value as COPY's text format carries it. */
const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A pulled batch of `table`, the rows given as objects, in the shape the hub's COPY gives them (columns, then change_seq). */
function pull(db: Db, tableName: string, rows: Array<Record<string, unknown>>, firstSeq: number): number {
  const table = pushableTable(tableName)!;
  const columns = pushedColumns(db, table);
  const types = localColumnTypes(db, tableName);
  const plan = { table, columns, numeric: columns.map((c) => types.get(c) === 'INTEGER' || types.get(c) === 'REAL') };
  return writePulledBatch(db, plan, rows.map((row, i) => [...columns.map((c) => text(row[c])), String(firstSeq + i)]), 1);
}

describe('the search index kept by its writers', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
    seedHaku(core.db);
  });
  afterEach(() => core.cleanup());

  it('after a first sync of several providers, holds what a rebuild gives, name tokens included', () => {
    expect(indexOf(core.db).search).toHaveLength(6);
    expect(indexOf(core.db).tokens.map((t) => (t as { token: string }).token)).toEqual(expect.arrayContaining(['arcynunez', 'nunez']));
    expectIndexAsRebuilt(core.db);
  });

  it('after edits, renames, a ChronoTrack phone falling back to the home number, and deletes', () => {
    const db = core.db;
    upsertRows(db, 'runsignup_participants', ['registration_id'], [
      person(5001, 101, 'Ana-María', 'Núñez de la Fuente', '10', 'ana@example.com', '614-555-0134'),
      person(5003, 101, 'Liam', 'OBrien', '12'),
      person(5010, 102, 'Mary Kate', 'van der Berg', '30'),
    ]);
    upsertRows(db, 'ct_participants', ['entry_id'], [
      { entry_id: 'E-1', event_id: 'CT-9', athlete_first_name: 'Chen', athlete_last_name: 'Wei-Ling', athlete_home_phone: '+1 614 555 0199', entry_bib: '501' },
    ]);
    expectIndexAsRebuilt(db);
    expect(lookupParticipants(db, { query: 'fuente ana' }).rows.map((r) => r.participant_id)).toEqual(['5001']);
    expect(lookupParticipants(db, { query: 'o brien' }).rows).toEqual([]);

    deleteRows(db, 'runsignup_participants', [{ registration_id: 5010 }]);
    deleteRows(db, 'haku_participants', [{ event_id: 'aaaaaaaaaaaaaaaaaaaa', participant_id: 'R-1001' }]);
    expectIndexAsRebuilt(db);
    expect(lookupParticipants(db, { query: 'berg' }).rows).toEqual([]);
  });

  it('indexes a runner sent twice in one write as its last version, over more rows than one statement writes', () => {
    const db = core.db;
    const many = Array.from({ length: 118 }, (_, i) => person(6000 + i, 102, `Runner${i}`, `Family Name${i}`, String(600 + i)));
    // A row without a phone column, so the rows do not all share one statement's columns.
    const { phone: _phone, ...withoutPhone } = person(6200, 102, 'Kai', 'Ohne Telefon', '800');
    const counts = upsertRows(db, 'runsignup_participants', ['registration_id'], [
      person(5001, 101, 'Ana', 'Primera Vez', '10'),
      ...many.slice(0, 30),
      person(5001, 101, 'Ana', 'Segunda Vez', '10'),
      ...many.slice(30, 100),
      withoutPhone,
      ...many.slice(100),
    ]);
    expect(counts).toEqual({ rows: 121, written: 121 });
    expect(db.prepare('SELECT last_name FROM runsignup_participants WHERE registration_id = 5001').pluck().get()).toBe('Segunda Vez');
    expect(lookupParticipants(db, { query: 'primera' }).rows).toEqual([]);
    expect(lookupParticipants(db, { query: 'ana segunda' }).rows.map((r) => r.participant_id)).toEqual(['5001']);
    expect(lookupParticipants(db, { query: 'ohne telefon' }).rows.map((r) => r.participant_id)).toEqual(['6200']);
    expect(lookupParticipants(db, { query: 'name117' }).rows.map((r) => r.participant_id)).toEqual(['6117']);
    expect(db.prepare(`SELECT count(*) FROM participant_search WHERE provider = 'runsignup' AND participant_id >= '6000'`).pluck().get()).toBe(119);
    expectIndexAsRebuilt(db);
  });

  it('makes no write at all for a re-sync of unchanged rows', () => {
    const db = core.db;
    const changes = () => db.prepare('SELECT total_changes() AS n').pluck().get() as number;
    const before = changes();
    const counts = upsertRows(db, 'runsignup_participants', ['registration_id'], [person(5001, 101, 'Ana', 'Núñez', '10', 'ana@example.com')]);
    expect(counts).toEqual({ rows: 1, written: 0 });
    expect(changes()).toBe(before);
  });

  it('after walk-ups, bib changes at the venue and a re-sync of a runner whose bib the crew changed', async () => {
    const walkUp = await call(core, 'pickup.registerWalkUp', {
      provider: 'runsignup',
      eventId: '101',
      firstName: 'Søren',
      lastName: 'Le-Blanc',
      gender: 'M',
      dateOfBirth: '1990-05-02',
      email: 'soren@example.com',
      phone: '614 555 0150',
      bib: '900',
    });
    await call(core, 'pickup.changeBib', { ...runners.ana, newBib: '77' });
    await call(core, 'pickup.changeBib', { provider: 'runsignup', participantId: walkUp.participant.participant_id, newBib: '901' });
    await call(core, 'pickup.changeBib', { provider: 'haku', participantId: 'aaaaaaaaaaaaaaaaaaaa:R-1001', newBib: '5' });
    // The provider renames Ana and gives her another bib: the crew's 77 stays.
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], [person(5001, 101, 'Anna', 'Núñez', '13', 'ana@example.com')]);
    upsertRows(core.db, 'haku_participants', ['event_id', 'participant_id'], [
      { event_id: 'aaaaaaaaaaaaaaaaaaaa', participant_id: 'R-1001', first_name: 'Dana', last_name: 'Whitfield', bib_number: '1187' },
    ]);

    const bib = (provider: string, id: string) =>
      core.db.prepare('SELECT bib FROM participant_search WHERE provider = ? AND participant_id = ?').pluck().get(provider, id);
    expect(bib('runsignup', '5001')).toBe('77');
    expect(bib('runsignup', walkUp.participant.participant_id)).toBe('901');
    expect(bib('haku', 'aaaaaaaaaaaaaaaaaaaa:R-1001')).toBe('5');
    expect((await call(core, 'lookup.search', { query: 'soren blanc' })).rows.map((r) => r.bib_number)).toEqual(['901']);
    expectIndexAsRebuilt(core.db);
  });

  it('after a pull of provider rows and of a walk-up registered on another laptop', () => {
    const db = core.db;
    // As after a push: a row still waiting in the outbox would keep the laptop's version.
    db.prepare('DELETE FROM hub_outbox').run();
    db.prepare(`INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (1, 'Acme Timing') ON CONFLICT DO NOTHING`).run();
    const stamps = { fetched_date: '2026-05-01T12:00:00.000Z', created_at: '2026-05-01T12:00:00.000Z' };
    const pulled = [person(5002, 101, 'José Luis', 'García-Márquez', '11'), person(5020, 102, 'Ines', 'Sanchez', '40')].map((p) => ({ ...p, ...stamps }));
    expect(pull(db, 'runsignup_participants', pulled, 1)).toBe(0);
    expect(
      pull(db, 'local_participants', [
        {
          participant_id: 'w-other',
          source_provider: 'runsignup',
          event_id: '102',
          first_name: 'Mei-Ling',
          last_name: 'Okonkwo',
          bib_number: '950',
          station_name: 'Desk 2',
          created_at: '2026-05-02T07:00:00.000Z',
          updated_at: '2026-05-02T07:00:00.000Z',
        },
      ], 3),
    ).toBe(0);
    expect(lookupParticipants(db, { query: 'ling okonkwo' }).rows.map((r) => r.participant_id)).toEqual(['w-other']);
    expect(lookupParticipants(db, { query: 'marquez jose' }).rows.map((r) => r.participant_id)).toEqual(['5002']);
    expectIndexAsRebuilt(db);
  });
});

describe('migration 0200 search-index-writer', () => {
  it('leaves the index the triggers kept exactly as a rebuild gives it, and the writers keep it so', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 200) });
    db.exec(`
      INSERT INTO runsignup_events (event_id, race_id, name, start_time) VALUES (11, 1, '5K', '2025-06-14T08:00:00');
      INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num, email, phone) VALUES
        (1, 11, 1, 'Ana Lucía', 'Núñez', '1', 'Ana@Example.com', '614-555-0101'),
        (1, 11, 2, 'Seán', 'O''Brien', '2', NULL, NULL),
        (1, 11, 3, NULL, 'St-Pierre', '3', NULL, NULL);
      INSERT INTO ct_events (event_id, event_name) VALUES ('E9', 'Harbour Half');
      INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, athlete_last_name, entry_bib, athlete_home_phone) VALUES
        ('en-1', 'E9', 'Jörg', 'Müller-Lüdenscheidt', '7', '0049 30 1234');
      INSERT INTO local_participants (participant_id, source_provider, event_id, first_name, last_name, bib_number, station_name, created_at, updated_at)
        VALUES ('w1', 'runsignup', '11', 'Zoë', 'Le-Blanc', '99', 'T1', '2025-06-14T07:00:00Z', '2025-06-14T07:00:00Z');
      INSERT INTO participant_changes (change_id, source_provider, event_id, participant_id, kind, field, new_value, station_name, changed_at)
        VALUES ('c1', 'runsignup', '11', '2', 'bib_change', 'bib_number', '42', 'Desk 1', '2026-05-02T07:01:00.000Z');
    `);
    const byTriggers = indexOf(db);
    expect(byTriggers.search).toHaveLength(5);

    migrate(db, migrations);

    expect(indexOf(db)).toEqual(byTriggers);
    expectIndexAsRebuilt(db);
    const triggers = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND (name LIKE '%search%' OR name LIKE '%token%') ORDER BY name`).pluck().all();
    expect(triggers).toEqual([
      'copernico_participants_search_delete',
      'ct_participants_search_delete',
      'haku_participants_search_delete',
      'local_participants_search_delete',
      'participant_search_tokens_delete',
      'raceroster_participants_search_delete',
      'runsignup_participants_search_delete',
    ]);

    upsertRows(db, 'runsignup_participants', ['registration_id'], [{ race_id: 1, event_id: 11, registration_id: 2, last_name: 'Ó Briain', bib_num: '20' }]);
    expect(db.prepare(`SELECT bib, last_fold FROM participant_search WHERE participant_id = '2'`).get()).toEqual({ bib: '42', last_fold: 'obriain' });
    expectIndexAsRebuilt(db);
    db.close();
  });
});
