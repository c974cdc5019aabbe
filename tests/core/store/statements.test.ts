import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { allRows, allRowsNamed, boundLimit } from '../../../src-main/core/store/statements.ts';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  db.exec(`
    CREATE TABLE wide (id INTEGER PRIMARY KEY, name TEXT, "odd ""column"" name" TEXT, amount REAL, data BLOB, missing TEXT) STRICT;
    INSERT INTO wide (id, name, "odd ""column"" name", amount, data, missing) VALUES
      (1, 'Núñez', 'a', 1.5, x'0102', NULL), (2, 'O''Brien', NULL, -2, NULL, NULL), (3, '', 'c', 0, x'', NULL);
  `);
});
afterEach(() => db.close());

describe('allRows', () => {
  it('gives the rows statement.all gives, values, column order and all', () => {
    const sql = `SELECT *, amount * 2 AS doubled, name AS name FROM wide WHERE id IN (?, ?, ?) ORDER BY id DESC`;
    const expected = db.prepare(sql).all(1, 2, 3);
    const statement = db.prepare(sql);
    const rows = allRows<Record<string, unknown>>(statement, 1, 2, 3);
    expect(rows).toEqual(expected);
    expect(rows.map((row) => Object.keys(row))).toEqual(expected.map((row) => Object.keys(row as object)));
    // The same statement again, with other parameters and no rows.
    expect(allRows(statement, 2, 2, 2)).toEqual(db.prepare(sql).all(2, 2, 2));
    expect(allRows(statement, 9, 9, 9)).toEqual([]);
  });
});

describe('allRowsNamed', () => {
  it('names the columns by the list given, in its order', () => {
    const statement = db.prepare(`SELECT id, name || '!', amount * 2 FROM wide WHERE id IN (?, ?) ORDER BY id`);
    expect(allRowsNamed(statement, ['id', 'name', 'doubled'], 1, 2)).toEqual([
      { id: 1, name: 'Núñez!', doubled: 3 },
      { id: 2, name: "O'Brien!", doubled: -4 },
    ]);
  });

  it('refuses a list that does not name every column', () => {
    expect(() => allRowsNamed(db.prepare(`SELECT id, name FROM wide`), ['id'])).toThrow(/1 names for the 2 columns/);
  });
});

describe('boundLimit', () => {
  it('limits a cached statement to the value bound on each run', () => {
    const statement = db.prepare(`SELECT id FROM wide ORDER BY id ${boundLimit('@limit')}`);
    expect([1, 3, 2, 0].map((limit) => statement.all({ limit }).length)).toEqual([1, 3, 2, 0]);
    const positional = db.prepare(`SELECT id FROM wide ORDER BY id ${boundLimit('?')}`);
    expect([2, 1].map((limit) => positional.all(limit).length)).toEqual([2, 1]);
  });
});
