import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { lookupCountLimit, lookupParticipants } from '../../../src-main/core/lookup/lookup.ts';
import { rebuildSearchIndex } from '../../../src-main/core/store/search-index.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';

/*
 * Names as runners say them at the table: typed with or without accents and punctuation, the
 * parts of compound and hyphenated names in any order, first and last names mixed.
 */
let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-names-'));
  db = openDatabase(join(dir, 'racedesk.sqlite'));
  db.exec(`
    INSERT INTO runsignup_events (event_id, race_id, name, start_time) VALUES (11, 1, '5K', '2025-06-14T08:00:00');
    INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES
      (1, 11, 1, 'Ana Lucía', 'Núñez', '1'),
      (1, 11, 2, 'Ana', 'Lucero', '2'),
      (1, 11, 3, 'Gabriel', 'García Márquez', '3'),
      (1, 11, 4, 'José', 'García-López', '4'),
      (1, 11, 5, 'Émile', 'St-Pierre', '5'),
      (1, 11, 6, 'Hélène', 'St. Pierre', '6'),
      (1, 11, 7, 'Luc', 'Saint-Pierre', '7'),
      (1, 11, 8, 'Seán', 'O''Brien', '8'),
      (1, 11, 9, 'Mary Kate', 'van der Berg', '9'),
      (1, 11, 10, 'Mary-Kate', 'Van der Berg', '10'),
      (1, 11, 11, 'Mary', 'Berg', '11'),
      (1, 11, 12, 'Aoife', 'D''Arcy-Núñez', '12'),
      (1, 11, 13, 'Inés', 'Sánchez de la Fuente', '13'),
      (1, 11, 14, 'Mei-Ling', 'Okonkwo-Brandt', '14');
  `);
  rebuildSearchIndex(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const found = (query: string) => lookupParticipants(db, { query }).rows.map((r) => `${r.first_name} ${r.last_name}`);

describe('names as runners say them', () => {
  it('"Ana Lucía Núñez" exactly as shown, and without accents or capitals', () => {
    expect(found('Ana Lucía Núñez')).toEqual(['Ana Lucía Núñez']);
    expect(found('ana lucia nunez')).toEqual(['Ana Lucía Núñez']);
    expect(found('nunez ana lucia')).toEqual(['Ana Lucía Núñez']);
    expect(found('lucia nunez')).toEqual(['Ana Lucía Núñez']);
  });

  it('both parts of a two-word last name', () => {
    expect(found('garcia marquez')).toEqual(['Gabriel García Márquez']);
    expect(found('gabriel marquez')).toEqual(['Gabriel García Márquez']);
    expect(found('marquez')).toEqual(['Gabriel García Márquez']);
    expect(found('garcia lopez')).toEqual(['José García-López']);
  });

  it('"st pierre" finds St-Pierre, St. Pierre and Saint-Pierre; "saint pierre" finds them too', () => {
    const stPierres = ['Émile St-Pierre', 'Hélène St. Pierre', 'Luc Saint-Pierre'].sort();
    expect(found('st pierre').sort()).toEqual(stPierres);
    expect(found('saint pierre').sort()).toEqual(stPierres);
    expect(found('stpierre').sort()).toEqual(stPierres);
    expect(found('pierre luc')).toEqual(['Luc Saint-Pierre']);
  });

  it('"o brien", "obrien", "o\'brien" and "brien" find O\'Brien', () => {
    for (const query of ['o brien', 'obrien', "o'brien", 'brien', 'sean o brien', "O'Brien Seán"]) expect(found(query)).toEqual(["Seán O'Brien"]);
  });

  it('"mary kate van der berg" finds Mary Kate and Mary-Kate van der Berg, not Mary Berg', () => {
    const vanDerBergs = ['Mary Kate van der Berg', 'Mary-Kate Van der Berg'];
    expect(found('mary kate van der berg').sort()).toEqual(vanDerBergs);
    expect(found('Mary-Kate van der Berg').sort()).toEqual(vanDerBergs);
    expect(found('marykate vanderberg').sort()).toEqual(vanDerBergs);
    expect(found('kate berg').sort()).toEqual(vanDerBergs);
    expect(found('mary berg').sort()).toEqual(['Mary Berg', ...vanDerBergs]);
  });

  it('"nunez" finds Núñez and the Núñez of a hyphenated name, the plain one first', () => {
    expect(found('nunez')).toEqual(['Ana Lucía Núñez', "Aoife D'Arcy-Núñez"]);
    expect(found('darcy')).toEqual(["Aoife D'Arcy-Núñez"]);
    expect(found('aoife nunez')).toEqual(["Aoife D'Arcy-Núñez"]);
  });

  it('the inner parts of hyphenated and particle names, in first and last names', () => {
    expect(found('fuente')).toEqual(['Inés Sánchez de la Fuente']);
    expect(found('ines de la fuente')).toEqual(['Inés Sánchez de la Fuente']);
    expect(found('ling brandt')).toEqual(['Mei-Ling Okonkwo-Brandt']);
    expect(found('mei ling')).toEqual(['Mei-Ling Okonkwo-Brandt']);
  });

  it('a whole first name and the start of the last (either order) come before inner parts', () => {
    db.exec(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES
      (1, 11, 40, 'Michael', 'O''Connor-Smith', '40'), (1, 11, 41, 'Michael', 'Smith', '41'), (1, 11, 42, 'Michaela', 'Smithers', '42')`);
    rebuildSearchIndex(db);
    for (const query of ['michael smith', 'smith michael']) {
      const names = found(query);
      expect(names[0]).toBe('Michael Smith');
      expect(names.sort()).toEqual(["Michael O'Connor-Smith", 'Michael Smith', 'Michaela Smithers']);
    }
    expect(found('smith mich').slice(0, 2)).toEqual(['Michael Smith', 'Michaela Smithers']);
  });

  it('every word must match: a word no part starts with finds nobody', () => {
    expect(found('ana nunez zzz')).toEqual([]);
    expect(found('mary kate smith')).toEqual([]);
  });

  it('keeps finding a runner after a sync renames them, and forgets the old name', () => {
    upsertRows(db, 'runsignup_participants', ['registration_id'], [{ race_id: 1, event_id: 11, registration_id: 8, last_name: 'Núñez-Ortiz' }]);
    expect(found('sean ortiz')).toEqual(['Seán Núñez-Ortiz']);
    expect(found('o brien')).toEqual([]);
    db.prepare('DELETE FROM runsignup_participants WHERE registration_id = 8').run();
    expect(found('ortiz')).toEqual([]);
  });

  it('finds a walk-up by the parts of their name', () => {
    db.prepare(
      `INSERT INTO local_participants (participant_id, source_provider, event_id, first_name, last_name, station_name, created_at, updated_at)
       VALUES ('w1', 'runsignup', '11', 'Zoë', 'Le-Blanc', 'T1', '2025-06-14T07:00:00Z', '2025-06-14T07:00:00Z')`,
    ).run();
    rebuildSearchIndex(db);
    expect(found('zoe blanc')).toEqual(['Zoë Le-Blanc']);
  });
});

describe('the cut-off', () => {
  beforeEach(() => {
    const insert = db.prepare(
      `INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES (1, 11, ?, ?, 'Nunes', ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 94; i++) insert.run(1000 + i, `Runner${String(i).padStart(2, '0')}`, String(1000 + i));
    })();
    rebuildSearchIndex(db);
  });

  it('says how many matched in all when the list is cut', () => {
    const result = lookupParticipants(db, { query: 'nun', limit: 30 });
    expect(result.rows).toHaveLength(30);
    expect(result).toMatchObject({ total: 96, totalExact: true });
  });

  it('a list that is not cut has its own length as the total', () => {
    expect(lookupParticipants(db, { query: 'nunez', limit: 30 })).toMatchObject({ total: 2, totalExact: true });
  });

  it('counts a runner matched by several names once', () => {
    db.prepare(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES (1, 11, 99, 'Nuno', 'Nunes-Núñez', '99')`).run();
    rebuildSearchIndex(db);
    expect(lookupParticipants(db, { query: 'nun', limit: 30 })).toMatchObject({ total: 97, totalExact: true });
    const all = lookupParticipants(db, { query: 'nun', limit: 500 });
    expect(all.total).toBe(97);
    expect(new Set(all.rows.map((r) => r.participant_id)).size).toBe(97);
  });

  it('beyond the counting limit says "more than"', () => {
    const insert = db.prepare(
      `INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES (1, 11, ?, 'Zed', 'Many', ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 1200; i++) insert.run(5000 + i, String(5000 + i));
    })();
    rebuildSearchIndex(db);
    const result = lookupParticipants(db, { query: 'many', limit: 30 });
    expect(result.rows).toHaveLength(30);
    expect(result).toMatchObject({ total: lookupCountLimit, totalExact: false });
  });

  it('two common words whose runners are rare together: counting stops early and says "more than"', () => {
    const insert = db.prepare(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES (1, 11, ?, ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < 6000; i++) insert.run(10000 + i, 'Zed', `Other${i}`, null);
      for (let i = 0; i < 6000; i++) insert.run(20000 + i, 'Yan', 'Common', null);
      for (let i = 0; i < 40; i++) insert.run(30000 + i, 'Zed', 'Common', null);
    })();
    rebuildSearchIndex(db);
    const result = lookupParticipants(db, { query: 'zed common', limit: 30 });
    expect(result.rows).toHaveLength(30);
    expect(result.rows.every((r) => r.first_name === 'Zed' && r.last_name === 'Common')).toBe(true);
    expect(result.totalExact).toBe(false);
    expect(result.total).toBeGreaterThanOrEqual(30);
    expect(lookupParticipants(db, { query: 'zed common', limit: 100 })).toMatchObject({ total: 40, totalExact: true });
  });
});
