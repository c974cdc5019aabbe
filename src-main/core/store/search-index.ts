import type Database from 'better-sqlite3';
import type { Db } from './database.ts';
import { searchSources } from './migrations/0002-unified-views-and-search.ts';
import { eventScopedRunnerId, isEventScoped } from './runner-id.ts';
import { foldForSearch, nameKey, phoneDigits } from './sql-fold.ts';
import { preparedFor, rowsPerStatement, valueRows } from './statements.ts';

/*
 * The writer of the lookup index: participant_search (one row per registration, with the folded
 * forms pickup searches on) and participant_name_tokens (the name key's entries that do not start a
 * name, migration 0070). Every path that inserts or updates a runner (upsert, the hub pull,
 * walk-ups) asks its write to RETURN the runner's search columns (searchReturning) and hands the
 * returned rows to indexRunners, in the same transaction: the folding runs once per row in JS, and an
 * unchanged row, which an upsert does not write, returns nothing and costs the index nothing.
 *
 * Per-row SQLite triggers did this until migration 0200, calling the JS fold functions three or
 * four times a row through SQLite's callback and splitting the name key again in SQL. Deletes are still the triggers' (store/migrations/0002, 0050, 0070): they fold nothing,
 * and a cascade from a removed event reaches rows no JS writer sees.
 */

/** A runner as its table's write returns it, before folding. */
export interface RunnerColumns {
  provider: string;
  participant_id: string;
  source_rowid: number;
  event_id: string;
  bib: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
}

/** Per indexed table, its columns as RunnerColumns, in SQL over the table's own row. */
interface IndexedTable {
  table: string;
  provider: string;
  id: string;
  /** The source_rowid: a provider row's rowid; a walk-up's is -rowid (lookups tell them apart by sign). */
  rowid: string;
  eventId: string;
  bib: string;
  first: string;
  last: string;
  email: string;
  phone: string;
}

// searchSources as 0002 wrote them (over NEW), with the runner id of store/runner-id.ts.
const providerTables: IndexedTable[] = searchSources.map((s) => {
  const unqualified = (expr: string) => expr.replaceAll('NEW.', '');
  return {
    table: s.table,
    provider: `'${s.provider}'`,
    id: unqualified(isEventScoped(s.provider) ? eventScopedRunnerId('NEW') : s.id),
    rowid: 'rowid',
    eventId: s.eventId,
    bib: s.bib,
    first: s.first,
    last: s.last,
    email: s.email,
    phone: unqualified(s.phone),
  };
});

const walkUps: IndexedTable = {
  table: 'local_participants',
  provider: 'source_provider',
  id: 'participant_id',
  rowid: '-rowid',
  eventId: 'event_id',
  bib: 'bib_number',
  first: 'first_name',
  last: 'last_name',
  email: 'email',
  phone: 'phone',
};

const indexedTables = new Map([...providerTables, walkUps].map((t) => [t.table, t]));

const runnerColumns = (t: IndexedTable) =>
  `${t.provider} AS provider, CAST(${t.id} AS TEXT) AS participant_id, ${t.rowid} AS source_rowid, CAST(${t.eventId} AS TEXT) AS event_id,
   CAST(${t.bib} AS TEXT) AS bib, ${t.first} AS first_name, ${t.last} AS last_name, ${t.email} AS email, ${t.phone} AS phone`;

/**
 * The RETURNING clause that makes a write of `table` give its runner's RunnerColumns, or undefined
 * when `table` holds no runners.
 */
export function searchReturning(table: string): string | undefined {
  const indexed = indexedTables.get(table);
  return indexed && `RETURNING ${runnerColumns(indexed)}`;
}

/**
 * Runs `write`, a write of one row of `table` ending in searchReturning(table), and indexes the
 * runner it wrote. Returns whether it wrote the row. A table without runners is only written.
 */
export function writeRunner(db: Db, table: string, write: Database.Statement, params: unknown): boolean {
  return writeRunners(db, table, write, params) > 0;
}

/** As writeRunner, for a write of several rows (one multi-row INSERT); returns how many it wrote. */
export function writeRunners(db: Db, table: string, write: Database.Statement, params: unknown): number {
  if (!indexedTables.has(table)) return write.run(params).changes;
  const runners = write.all(params) as RunnerColumns[];
  indexRunners(db, runners);
  return runners.length;
}

/** The columns of a participant_search row, in the order the upsert binds them. */
const searchColumns = ['provider', 'participant_id', 'source_rowid', 'event_id', 'bib', 'first_fold', 'last_fold', 'email_fold', 'phone_digits', 'name_key'] as const;
const tokenColumns = ['token', 'last_fold', 'first_fold', 'provider', 'participant_id', 'event_id', 'name_key', 'source_rowid'] as const;

/*
 * A bib changed at the venue (participant_state, migration 0050) outlives the provider's: a
 * re-indexed provider row keeps the crew's bib. A walk-up's own row carries its bib (its
 * source_rowid is negative).
 */
const upsertSearch = (db: Db, rows: number) =>
  preparedFor(db, `participant_search upsert ${rows}`, () => {
    const v = Object.fromEntries(searchColumns.map((c, i) => [c, `v.column${i + 1}`])) as Record<(typeof searchColumns)[number], string>;
    const bib = `(SELECT CASE WHEN count(*) = 0 THEN ${v.bib} ELSE max(value) END FROM participant_state
       WHERE ${v.source_rowid} > 0 AND source_provider = ${v.provider} AND participant_id = ${v.participant_id} AND field = 'bib_number')`;
    return `INSERT INTO participant_search (${searchColumns.join(', ')})
      SELECT ${searchColumns.map((c) => (c === 'bib' ? bib : v[c])).join(', ')}
      FROM (VALUES ${valueRows(rows, searchColumns.length)}) AS v WHERE true
      ON CONFLICT (provider, participant_id) DO UPDATE SET
      ${searchColumns.filter((c) => c !== 'provider' && c !== 'participant_id').map((c) => `${c} = excluded.${c}`).join(', ')}`;
  });

const clearTokens = (db: Db, runners: number) =>
  preparedFor(db, `participant_name_tokens clear ${runners}`, () => `DELETE FROM participant_name_tokens WHERE (provider, participant_id) IN (VALUES ${valueRows(runners, 2)})`);

const insertTokens = (db: Db, tokens: number) =>
  preparedFor(db, `participant_name_tokens insert ${tokens}`, () => `INSERT OR IGNORE INTO participant_name_tokens (${tokenColumns.join(', ')}) VALUES ${valueRows(tokens, tokenColumns.length)}`);

/**
 * Writes (or rewrites) the runners' participant_search rows and name tokens. A runner given twice
 * (one write that sent the same registration twice: its RETURNING gives both versions, in the
 * order written) is indexed as its last version.
 */
export function indexRunners(db: Db, runners: readonly RunnerColumns[]): void {
  const latest = new Map<string, RunnerColumns>();
  for (const runner of runners) {
    const key = `${runner.provider}\u0000${runner.participant_id}`;
    latest.delete(key);
    latest.set(key, runner);
  }
  const distinct = latest.size === runners.length ? runners : [...latest.values()];
  for (let at = 0; at < distinct.length; at += rowsPerStatement) indexChunk(db, distinct.slice(at, at + rowsPerStatement));
}

/** At most rowsPerStatement distinct runners: one statement per table, and one per rowsPerStatement name tokens. */
function indexChunk(db: Db, runners: readonly RunnerColumns[]): void {
  const search: unknown[] = [];
  const ids: unknown[] = [];
  const tokens: unknown[] = [];
  let tokenCount = 0;
  for (const runner of runners) {
    const firstFold = foldForSearch(runner.first_name);
    const lastFold = foldForSearch(runner.last_name);
    const key = nameKey(runner.first_name, runner.last_name);
    search.push(runner.provider, runner.participant_id, runner.source_rowid, runner.event_id, runner.bib, firstFold, lastFold, foldForSearch(runner.email), phoneDigits(runner.phone), key);
    ids.push(runner.provider, runner.participant_id);
    if (key === null) continue;
    // The key's entries that start a whole name are first_fold and last_fold, indexed on participant_search itself.
    for (const token of key.slice(1).split(' ')) {
      if (token === firstFold || token === lastFold) continue;
      tokens.push(token, lastFold ?? '', firstFold ?? '', runner.provider, runner.participant_id, runner.event_id, key, runner.source_rowid);
      tokenCount += 1;
    }
  }
  upsertSearch(db, runners.length).run(search);
  // The runners' old tokens go before their new ones are written.
  clearTokens(db, runners.length).run(ids);
  for (let at = 0; at < tokenCount; at += rowsPerStatement) {
    const count = Math.min(rowsPerStatement, tokenCount - at);
    insertTokens(db, count).run(tokens.slice(at * tokenColumns.length, (at + count) * tokenColumns.length));
  }
}

/*
 * The tables whose indexes a bulk load of runners defers (store/deferred-indexes.ts): the lookup
 * index's own. The name tokens keep theirs: the writer clears a runner's tokens through it.
 */
export const lookupIndexTables: readonly string[] = ['participant_search'];

/** Runners in the lookup index. */
export function indexedRunnerCount(db: Db): number {
  return db.prepare(`SELECT count(*) FROM participant_search`).pluck().get() as number;
}

/** Rows read per statement while rebuilding: bounded memory on a million runners. */
const rebuildChunk = 5_000;

/**
 * The whole index from the runners' tables: what the writers keep it equal to. Migration 0200
 * runs it once, on the index the triggers had kept.
 */
export function rebuildSearchIndex(db: Db): void {
  db.exec('DELETE FROM participant_name_tokens; DELETE FROM participant_search;');
  for (const table of indexedTables.keys()) reindexTable(db, table);
}

/** Indexes every runner of one indexed table (after its rows were removed from the index, as a migration that re-keys them does). */
export function reindexTable(db: Db, table: string): void {
  const t = indexedTables.get(table);
  if (!t) throw new Error(`${table} holds no runners to index.`);
  const chunk = db.prepare(`SELECT rowid AS racedesk_rowid, ${runnerColumns(t)} FROM ${t.table} WHERE rowid > ? ORDER BY rowid LIMIT ${rebuildChunk}`);
  let after = 0;
  for (;;) {
    const rows = chunk.all(after) as Array<RunnerColumns & { racedesk_rowid: number }>;
    indexRunners(db, rows);
    if (rows.length < rebuildChunk) break;
    after = rows.at(-1)!.racedesk_rowid;
  }
}
