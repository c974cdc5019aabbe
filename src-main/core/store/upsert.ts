import type { Db } from './database.ts';
import type { TableRow } from '../providers/types.ts';
import { preparedFor, rowsPerStatement, valueRows } from './statements.ts';
import { searchReturning, writeRunners } from './search-index.ts';

/*
 * The one generic write path for provider rows: INSERT ... ON CONFLICT(natural key) DO UPDATE.
 * Table and column names come from provider definitions (code), never from user input; values
 * are always bound parameters. Prepared statements are cached per (table, columns). The hub
 * learns of every change through the outbox triggers (store/outbox-triggers.ts), and the lookup
 * index of every written runner through its writer (store/search-index.ts), in the caller's
 * transaction.
 *
 * A re-sync sends mostly rows the store already holds as they are (ChronoTrack and Copernico have
 * no incremental cursor, so every sync is a full one). The update runs only WHERE a column the
 * provider sent differs, so an unchanged row is not rewritten and fires no UPDATE trigger: no
 * outbox entry, no row returned, so no search re-index. Columns the row does not carry keep their stored value and do
 * not count; the fetch stamps (fetched_date and the target's fetchStamps) do not count either,
 * and keep the time the row's present content was fetched.
 */
const identifier = /^[a-z_][a-z0-9_]*$/;

/** The store's column for when a provider row was fetched; every provider table has it. */
const fetchedDate = 'fetched_date';

export function checkIdentifiers(names: readonly string[]): void {
  for (const name of names) {
    if (!identifier.test(name)) throw new Error(`Not a column or table name: ${name}`);
  }
}

/** INSERT ... ON CONFLICT of `rows` rows of one set of columns, built and checked once per table, column list and row count. */
function upsertStatement(db: Db, table: string, key: readonly string[], columns: readonly string[], fetchStamps: readonly string[], rows: number) {
  return preparedFor(db, `upsert ${table} (${key.join(', ')}) ${columns.join(', ')} stamps ${fetchStamps.join(', ')} rows ${rows}`, () => {
    checkIdentifiers([table, ...columns]);
    const stamps = new Set([fetchedDate, ...fetchStamps]);
    const updated = columns.filter((c) => !key.includes(c));
    const compared = updated.filter((c) => !stamps.has(c));
    const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valueRows(rows, columns.length)} ON CONFLICT (${key.join(', ')}) DO`;
    const returning = searchReturning(table) ?? '';
    if (compared.length === 0) return `${insert} NOTHING ${returning}`;
    const changed = compared.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ');
    return `${insert} UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')} WHERE ${changed} ${returning}`;
  });
}

const sameColumns = (row: TableRow, columns: readonly string[]) => {
  const keys = Object.keys(row);
  return keys.length === columns.length && keys.every((k, i) => k === columns[i]);
};

/** What a set of rows did to the store: `written` were new or changed, the rest were already stored as they are. */
export interface UpsertCounts {
  rows: number;
  written: number;
}

/** Upserts rows by `key`; `fetchStamps` as TableTarget.fetchStamps. */
export function upsertRows(db: Db, table: string, key: readonly string[], rows: readonly TableRow[], fetchStamps: readonly string[] = []): UpsertCounts {
  let written = 0;
  // A provider's mapping gives every row of a page the same columns: consecutive rows with the
  // same columns share a statement, rowsPerStatement at a time. The same key twice in one
  // statement is written as twice in a row: the second row updates the first.
  for (let at = 0; at < rows.length; ) {
    const columns = Object.keys(rows[at]!);
    let end = at + 1;
    while (end < rows.length && end - at < rowsPerStatement && sameColumns(rows[end]!, columns)) end += 1;
    const values: unknown[] = [];
    for (let r = at; r < end; r++) {
      const row = rows[r]!;
      for (const column of columns) values.push(row[column]);
    }
    written += writeRunners(db, table, upsertStatement(db, table, key, columns, fetchStamps, end - at), values);
    at = end;
  }
  return { rows: rows.length, written };
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
