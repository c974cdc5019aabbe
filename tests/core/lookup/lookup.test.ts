import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { lookupParticipants } from '../../../src-main/core/lookup/lookup.ts';
import { rebuildSearchIndex } from '../../../src-main/core/store/search-index.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-lookup-'));
  db = openDatabase(join(dir, 'racedesk.sqlite'));
  db.exec(`
    INSERT INTO runsignup_events (event_id, race_id, name, start_time) VALUES (11, 1, '5K', '2025-06-14T08:00:00'), (12, 1, '10K', '2025-06-14T08:15:00');
    INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, email, phone, bib_num, gender) VALUES
      (1, 11, 1001, 'María', 'Núñez', 'maria.nunez@example.com', '614-555-0134', '101', 'F'),
      (1, 11, 1002, 'Sean', 'O''Brien', 'sean@example.com', NULL, '102', 'M'),
      (1, 12, 1003, 'Nuno', 'Smith', 'nuno@example.com', NULL, '1010', 'M'),
      (1, 12, 1004, 'Anna', 'Smithers', NULL, NULL, '101', 'F');
    INSERT INTO ct_events (event_id, event_name) VALUES ('E9', 'Harbour Half');
    INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, athlete_last_name, entry_bib, athlete_email) VALUES
      ('en-1', 'E9', 'Jörg', 'Müller', '7', 'jmuller@example.de');
  `);
  rebuildSearchIndex(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = (rows: Array<{ first_name: string | null; last_name: string | null }>) => rows.map((r) => `${r.first_name} ${r.last_name}`);

describe('lookup', () => {
  it('finds an exact bib first, in every event that has it', () => {
    const rows = lookupParticipants(db, { query: '101' }).rows;
    expect(rows.slice(0, 2).map((r) => r.bib_number)).toEqual(['101', '101']);
    expect(rows.map((r) => r.bib_number)).not.toContain('1010');
  });

  it('filters by event', () => {
    expect(names(lookupParticipants(db, { query: '101', scope: [{ provider: 'runsignup', eventId: '12' }] }).rows)).toEqual(['Anna Smithers']);
  });

  it('matches name prefixes without accents or case', () => {
    expect(names(lookupParticipants(db, { query: 'nunez' }).rows)).toEqual(['María Núñez']);
    expect(names(lookupParticipants(db, { query: 'NÚÑE' }).rows)).toEqual(['María Núñez']);
    expect(names(lookupParticipants(db, { query: 'muller' }).rows)).toEqual(['Jörg Müller']);
    expect(names(lookupParticipants(db, { query: 'jorg' }).rows)).toEqual(['Jörg Müller']);
  });

  it('ignores apostrophes: "obrien" and "o\'b" both find O\'Brien', () => {
    expect(names(lookupParticipants(db, { query: 'obrien' }).rows)).toEqual(["Sean O'Brien"]);
    expect(names(lookupParticipants(db, { query: "o'b" }).rows)).toEqual(["Sean O'Brien"]);
  });

  it('a prefix finds last names and first names, last names first', () => {
    expect(names(lookupParticipants(db, { query: 'nu' }).rows)).toEqual(['María Núñez', 'Nuno Smith']);
    expect(names(lookupParticipants(db, { query: 'smi' }).rows)).toEqual(['Nuno Smith', 'Anna Smithers']);
  });

  it('two words match first and last name in either order', () => {
    expect(names(lookupParticipants(db, { query: 'maria nu' }).rows)).toEqual(['María Núñez']);
    expect(names(lookupParticipants(db, { query: 'smithers anna' }).rows)).toEqual(['Anna Smithers']);
  });

  it('finds by email and by phone digits', () => {
    expect(names(lookupParticipants(db, { query: 'sean@example.com' }).rows)).toEqual(["Sean O'Brien"]);
    expect(names(lookupParticipants(db, { query: '(614) 555 0134' }).rows)).toEqual(['María Núñez']);
  });

  it('returns unified rows with the provider and event', () => {
    const [row] = lookupParticipants(db, { query: 'muller' }).rows;
    expect(row).toMatchObject({ source_provider: 'chronotrack', event_id: 'E9', participant_id: 'en-1', bib_number: '7', email: 'jmuller@example.de' });
  });

  it('follows a bib change a sync brings', () => {
    upsertRows(db, 'runsignup_participants', ['registration_id'], [{ race_id: 1, event_id: 11, registration_id: 1002, bib_num: '555' }]);
    expect(names(lookupParticipants(db, { query: '555' }).rows)).toEqual(["Sean O'Brien"]);
    expect(lookupParticipants(db, { query: '102' }).rows).toEqual([]);
  });

  it('an empty query finds nothing', () => {
    expect(lookupParticipants(db, { query: '   ' }).rows).toEqual([]);
  });
});

describe('the rows a lookup returns', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
  });
  afterEach(() => core.cleanup());

  const viewRow = (row: { source_provider: string; source_rowid: number }) =>
    core.db.prepare('SELECT * FROM unified_participants WHERE source_provider = ? AND source_rowid = ?').get(row.source_provider, row.source_rowid);

  it("are the unified view's rows, from each provider's table and the walk-ups, with the venue's bib and check-in", async () => {
    const fetched = '2026-06-01T10:00:00.000Z';
    upsertRows(core.db, 'runsignup_events', ['event_id'], [{ event_id: 1, race_id: 9, name: '5K', race_name: 'City Run', start_time: '2026-06-14T08:00:00.000Z', age_calc_base_date: '2026-12-31', fetched_date: fetched }]);
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], [
      { registration_id: 101, race_id: 9, event_id: 1, first_name: 'Ana', last_name: 'Quill', gender: 'female', dob: '1990-06-15', bib_num: '7', address: JSON.stringify({ city: 'Bend', state: 'OR' }), email: 'ana@example.com', fetched_date: fetched },
    ]);
    upsertRows(core.db, 'ct_events', ['event_id'], [{ event_id: 'CT-1', event_name: 'Riverbend Half', event_start_time: '2026-10-18T12:00:00.000Z' }]);
    upsertRows(core.db, 'ct_participants', ['entry_id'], [
      { entry_id: 'E1', event_id: 'CT-1', athlete_first_name: 'Oskar', athlete_last_name: 'Quill', athlete_sex: 'M', athlete_birthdate: '1985-10-19', entry_bib: '12', location: JSON.stringify({ city: 'Peoria', region: 'IL' }) },
    ]);
    upsertRows(core.db, 'raceroster_events', ['event_id', 'race_id'], [{ event_id: 5, race_id: 50, name: 'Lakeshore Tri › Sprint', start_date: '2026-07-01T12:00:00.000Z', fetched_date: fetched }]);
    upsertRows(core.db, 'raceroster_participants', ['registration_id'], [
      { registration_id: 501, event_id: 5, race_id: 50, first_name: 'Eve', last_name: 'Quill', gender: 'Female', date_of_birth: '1979-07-01', bib_number: '201', address: JSON.stringify({ city: 'Evanston', region: 'IL' }), fetched_date: fetched },
    ]);
    upsertRows(core.db, 'copernico_events', ['event_id'], [{ event_id: 'rio:21K', event_name: 'Media Maratón › 21K', event_date: '2026-11-15T08:00:00.000Z', fetched_date: fetched }]);
    upsertRows(core.db, 'copernico_participants', ['event_id', 'participant_id'], [
      { event_id: 'rio:21K', participant_id: 'A', first_name: 'Lucía', last_name: 'Quill', gender: 'F', date_of_birth: '1992-11-16', bib_number: '3', club_team: 'CA Marbella', fetched_date: fetched },
    ]);
    upsertRows(core.db, 'haku_events', ['event_id'], [{ event_id: 'H-1', event_name: 'Spring 10K', start_date: '2026-04-12T07:30:00.000Z', fetched_date: fetched }]);
    upsertRows(core.db, 'haku_participants', ['event_id', 'participant_id'], [
      { event_id: 'H-1', participant_id: 'R-1001', first_name: 'Gus', last_name: 'Quill', gender: 'Male', date_of_birth: '2000-04-12', bib_number: '301', city: 'Austin', state: 'TX', fetched_date: fetched },
    ]);
    // A walk-up listed under a provider that has its own runner too: its row comes from the walk-ups.
    await call(core, 'pickup.registerWalkUp', { provider: 'haku', eventId: 'H-1', firstName: 'Walk', lastName: 'Quill', gender: 'F', dateOfBirth: '1999-04-13', bib: '399' });
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '101' });
    await call(core, 'pickup.changeBib', { provider: 'chronotrack', participantId: 'E1', newBib: '77' });

    const rows = lookupParticipants(core.db, { query: 'quill' }).rows;
    expect(rows.map((row) => `${row.source_provider} ${row.first_name} ${row.is_walk_up}`).sort()).toEqual([
      'chronotrack Oskar 0',
      'copernico Lucía 0',
      'haku Gus 0',
      'haku Walk 1',
      'raceroster Eve 0',
      'runsignup Ana 0',
    ]);
    for (const row of rows) expect(row).toEqual(viewRow(row));
    expect(rows.find((row) => row.source_provider === 'runsignup')).toMatchObject({ checked_in: 1, age: 36, city: 'Bend' });
    expect(rows.find((row) => row.source_provider === 'chronotrack')).toMatchObject({ bib_number: '77', registered_bib: '12' });
  });

  it("finds a provider's first runner after lookups have run without any", () => {
    upsertRows(core.db, 'runsignup_events', ['event_id'], [{ event_id: 1, race_id: 9, name: '5K', start_time: '2026-06-14T08:00:00.000Z' }]);
    upsertRows(core.db, 'copernico_events', ['event_id'], [{ event_id: 'rio:21K', event_name: '21K', event_date: '2026-11-15T08:00:00.000Z' }]);
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], [{ registration_id: 101, race_id: 9, event_id: 1, first_name: 'Ana', last_name: 'Quill', bib_num: '7' }]);
    expect(lookupParticipants(core.db, { query: 'quill' }).rows.map((row) => row.source_provider)).toEqual(['runsignup']);
    upsertRows(core.db, 'copernico_participants', ['event_id', 'participant_id'], [{ event_id: 'rio:21K', participant_id: 'A', first_name: 'Lucía', last_name: 'Quill', bib_number: '3' }]);
    const rows = lookupParticipants(core.db, { query: 'quill' }).rows;
    expect(rows.map((row) => row.source_provider).sort()).toEqual(['copernico', 'runsignup']);
    for (const row of rows) expect(row).toEqual(viewRow(row));
  });
});
