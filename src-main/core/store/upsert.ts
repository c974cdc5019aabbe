import type { Db } from './database.ts';
import type { TableRow } from '../providers/types.ts';
import { preparedFor } from './statements.ts';

/*
 * The one generic write path for provider rows: INSERT ... ON CONFLICT(natural key) DO UPDATE.
 * Table and column names come from provider definitions (code), never from user input; values
 * are always bound parameters. Prepared statements are cached per (table, columns). The hub
 * learns of every change through the outbox triggers (store/outbox-triggers.ts), in the caller's
 * transaction.
 */
const identifier = /^[a-z_][a-z0-9_]*$/;

export function checkIdentifiers(names: readonly string[]): void {
  for (const name of names) {
    if (!identifier.test(name)) throw new Error(`Not a column or table name: ${name}`);
  }
}

/** INSERT ... ON CONFLICT for one set of columns, built and checked once per table and column list. */
function upsertStatement(db: Db, table: string, key: readonly string[], columns: readonly string[]) {
  return preparedFor(db, `upsert ${table} (${key.join(', ')}) ${columns.join(', ')}`, () => {
    checkIdentifiers([table, ...columns]);
    const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
    return (
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ` +
      `ON CONFLICT (${key.join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`
    );
  });
}

export function upsertRows(db: Db, table: string, key: readonly string[], rows: readonly TableRow[]): number {
  for (const row of rows) {
    // A provider's mapping gives every row of a page the same columns, so this finds the
    // statement built for the first row; the SQL text is not rebuilt per row.
    upsertStatement(db, table, key, Object.keys(row)).run(row);
  }
  return rows.length;
}

export function deleteRows(db: Db, table: string, keys: readonly TableRow[]): number {
  let deleted = 0;
  for (const keyRow of keys) {
    const columns = Object.keys(keyRow);
    const statement = preparedFor(db, `delete ${table} ${columns.join(', ')}`, () => {
      checkIdentifiers([table, ...columns]);
      return `DELETE FROM ${table} WHERE ${columns.map((c) => `${c} = @${c}`).join(' AND ')}`;
    });
    deleted += statement.run(keyRow).changes;
  }
  return deleted;
}
