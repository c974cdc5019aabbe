import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { lookupParticipants } from '../../../src-main/core/lookup/lookup.ts';
import { rebuildSearchIndex } from '../../../src-main/core/store/search-index.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';

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
