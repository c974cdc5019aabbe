import type Database from 'better-sqlite3';
import type { Db } from './database.ts';

/**
 * A query module's prepared statements, prepared once per open database and reused: preparing
 * costs more than running the small lookups at a pickup table.
 */
export function preparedPerDb<Statements>(prepare: (db: Db) => Statements): (db: Db) => Statements {
  const cache = new WeakMap<Db, Statements>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) cache.set(db, (prepared = prepare(db)));
    return prepared;
  };
}

const byKey = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A statement whose SQL is built at run time from names the code knows (a table, its columns),
 * prepared once per open database and key: the SQL text is built only the first time.
 */
export function preparedFor(db: Db, key: string, sql: () => string): Database.Statement {
  let cache = byKey.get(db);
  if (!cache) byKey.set(db, (cache = new Map()));
  let statement = cache.get(key);
  if (!statement) cache.set(key, (statement = db.prepare(sql())));
  return statement;
}

/**
 * Rows per multi-row statement (`VALUES (...), (...)`), for the writes that store many rows at
 * once (the sync's upsert, the lookup index, the pull). SQLite's work per statement (bind, step,
 * reset) is about a third of what a row costs: 50 rows a statement wrote pulled participants in
 * two thirds of the CPU of one a statement, and more gained nothing (docs/performance-pull.md).
 * Far below SQLite's 32,766 parameters per statement for any table here. Statements are cached per
 * row count, so a write of fewer rows prepares its own once.
 */
export const rowsPerStatement = 50;

/** `(?, ?), (?, ?)`: `rows` rows of `columns` positional parameters, for a multi-row VALUES. */
export function valueRows(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/**
 * `LIMIT` from a bound parameter (named, or `?`). SQLite reads the value bound to a bare
 * `LIMIT @n` while planning, and so marks the statement to be prepared again whenever @n is bound:
 * each run of a cached statement paid a new preparation (4 µs for a one-table seek, over 100 µs
 * for the lookup's count, 1 ms over the unified view), and a statement prepared for one run paid
 * two. The same parameter inside an expression is only read when the statement runs. (`OFFSET`
 * is not read while planning.)
 */
export const boundLimit = (parameter: `@${string}` | '?') => `LIMIT +${parameter}`;

const rowBuilders = new WeakMap<Database.Statement, (values: unknown[]) => Record<string, unknown>>();

/**
 * A statement's rows as objects, the same as `statement.all(...)` returns, built faster for wide
 * rows: better-sqlite3 sets a row's properties one at a time, which for the 24 columns of
 * unified_participants cost a lookup more than its index seeks; one object literal per statement,
 * compiled from its column names, is the shape V8 builds fastest. The statement is switched to
 * raw rows, so use it only through this function.
 */
export function allRows<Row>(statement: Database.Statement, ...params: unknown[]): Row[] {
  return allRowsNamed<Row>(statement, null, ...params);
}

/**
 * allRows with the columns named by `names` in their order instead of by the statement: for one
 * arm of a UNION ALL view, whose columns bear the view's names only in the view's first arm.
 */
export function allRowsNamed<Row>(statement: Database.Statement, names: readonly string[] | null, ...params: unknown[]): Row[] {
  let build = rowBuilders.get(statement);
  if (!build) {
    const columns = statement.columns();
    if (names && names.length !== columns.length) throw new Error(`${names.length} names for the ${columns.length} columns of: ${statement.source}`);
    statement.raw(true);
    const fields = (names ?? columns.map((column) => column.name)).map((name, index) => `${JSON.stringify(name)}: values[${index}]`);
    build = new Function('values', `return { ${fields.join(', ')} };`) as (values: unknown[]) => Record<string, unknown>;
    rowBuilders.set(statement, build);
  }
  return (statement.all(...params) as unknown[][]).map(build) as Row[];
}
