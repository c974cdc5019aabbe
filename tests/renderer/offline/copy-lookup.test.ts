import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { lookupParticipants } from '../../../src-main/core/lookup/lookup.ts';
import { deviceCopy } from '../../../src-main/core/pickup/device-copy.ts';
import { rebuildSearchIndex } from '../../../src-main/core/store/search-index.ts';
import { indexRunner, searchCopy, type CopyRunner } from '../../../src-renderer/src/offline/copy-lookup.ts';

/*
 * A device without its station answers lookups from its copy: for the same runners, the same
 * queries find the same people as the station's own lookup (real SQLite, the copy as
 * pickup.deviceCopy gives it).
 */
let dir: string;
let db: Db;
let runners: CopyRunner[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-copy-lookup-'));
  db = openDatabase(join(dir, 'racedesk.sqlite'));
  db.exec(`
    INSERT INTO runsignup_events (event_id, race_id, name, start_time) VALUES (11, 1, '5K', '2025-06-14T08:00:00'), (12, 1, '10K', '2025-06-14T09:00:00');
    INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num, email, phone) VALUES
      (1, 11, 1, 'Ana Lucía', 'Núñez', '1', 'ana.nunez@example.com', '614-555-0101'),
      (1, 11, 2, 'Ana', 'Lucero', '2', 'alucero@example.com', NULL),
      (1, 11, 3, 'Gabriel', 'García Márquez', '3', NULL, NULL),
      (1, 11, 4, 'José', 'García-López', '4', NULL, '(614) 555 0104'),
      (1, 11, 5, 'Émile', 'St-Pierre', '5', NULL, NULL),
      (1, 11, 6, 'Hélène', 'St. Pierre', '6', NULL, NULL),
      (1, 11, 7, 'Luc', 'Saint-Pierre', '7', NULL, NULL),
      (1, 11, 8, 'Seán', 'O''Brien', '8', NULL, NULL),
      (1, 11, 9, 'Mary Kate', 'van der Berg', '9', NULL, NULL),
      (1, 11, 10, 'Mary-Kate', 'Van der Berg', '10', NULL, NULL),
      (1, 11, 11, 'Mary', 'Berg', '11', NULL, NULL),
      (1, 11, 12, 'Aoife', 'D''Arcy-Núñez', '12', NULL, NULL),
      (1, 12, 13, 'Inés', 'Sánchez de la Fuente', '1', NULL, NULL),
      (1, 12, 14, 'Mei-Ling', 'Okonkwo-Brandt', '14', NULL, NULL),
      (1, 12, 15, 'Anabel', 'Smith', '15', NULL, NULL);
  `);
  rebuildSearchIndex(db);
  runners = deviceCopy(db, undefined).rows.map(indexRunner);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const queries = [
  'ana', 'Ana Lucía Núñez', 'nunez ana lucia', 'nun', 'garcia', 'garcia marquez', 'st pierre', 'saint pierre', 'obrien', 'o brien',
  'mary kate van der berg', 'marykate', 'berg', 'darcy', 'de la fuente', 'mei ling', 'brandt okonkwo', '1', '14', 'ana.nunez@', 'alucero',
  '614-555-0104', '6145550101', 'zzz', 'smith anab', 'an',
];
const ids = (rows: Array<{ participant_id: string }>) => rows.map((row) => row.participant_id);

describe('lookups from the device copy', () => {
  it('find the same runners as the station for names, bibs, emails and phones', () => {
    for (const query of queries) {
      const station = lookupParticipants(db, { query, limit: 30 });
      const device = searchCopy(runners, { query, limit: 30 });
      expect({ query, ids: ids(device.rows).sort() }).toEqual({ query, ids: ids(station.rows).sort() });
      expect({ query, total: device.total }).toEqual({ query, total: station.total });
    }
  });

  it('put an exact bib first, then whole names, then last names before first names', () => {
    expect(ids(searchCopy(runners, { query: '1', limit: 30 }).rows)).toEqual(ids(lookupParticipants(db, { query: '1', limit: 30 }).rows));
    expect(ids(searchCopy(runners, { query: 'ana', limit: 30 }).rows)).toEqual(ids(lookupParticipants(db, { query: 'ana', limit: 30 }).rows));
    expect(ids(searchCopy(runners, { query: 'ana lucero', limit: 30 }).rows)).toEqual(['2']);
  });

  it('keep to the scope and to the limit, and say how many matched in all', () => {
    const scope = [{ provider: 'runsignup' as const, eventId: '12' }];
    expect(ids(searchCopy(runners, { query: '1', scope, limit: 30 }).rows)).toEqual(['13']);
    expect(ids(searchCopy(runners, { query: 'ana', scope, limit: 30 }).rows)).toEqual(['15']);
    const cut = searchCopy(runners, { query: 'ana', limit: 1 });
    expect(cut.rows).toHaveLength(1);
    expect(cut).toMatchObject({ total: lookupParticipants(db, { query: 'ana', limit: 1 }).total, totalExact: true });
    expect(searchCopy(runners, { query: '   ', limit: 30 })).toEqual({ rows: [], total: 0, totalExact: true });
  });
});
