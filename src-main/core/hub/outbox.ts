import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { pushableTable, pushableTables, type RankedPushableTable } from './pushable-tables.ts';

/*
 * The local outbox: one entry per local row that the hub has not seen in its current state.
 * Writers call recordOutboxChange IN THE SAME SQLite TRANSACTION as their change, so a change and
 * its outbox entry commit (or vanish) together.
 *
 * Entries coalesce: while an entry for (table, key) waits, a new change to that row only updates
 * its op and keeps its sequence number. The push reads the row as it is at push time, so a row
 * edited ten times is sent once. An entry that belongs to a batch in flight never coalesces (the
 * unique index covers only unbatched entries): a change made during a push gets an entry of its
 * own and goes with the next batch.
 */
export type OutboxOp = 'upsert' | 'delete';
export type RowKey = Record<string, unknown>;

export interface OutboxChange {
  table: string;
  key: RowKey;
  op: OutboxOp;
}

type ColumnTypes = Map<string, string>;
const columnTypeCache = new WeakMap<Db, Map<string, ColumnTypes>>();

/** Declared column types of a local table (STRICT tables: INTEGER, TEXT, REAL, ...). */
export function localColumnTypes(db: Db, table: string): ColumnTypes {
  let perDb = columnTypeCache.get(db);
  if (!perDb) columnTypeCache.set(db, (perDb = new Map()));
  let types = perDb.get(table);
  if (!types) {
    const columns = db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as Array<{ name: string; type: string }>;
    if (columns.length === 0) throw new RaceDeskError('internal', `The local table ${table} does not exist.`);
    types = new Map(columns.map((c) => [c.name, c.type.toUpperCase()]));
    perDb.set(table, types);
  }
  return types;
}

function knownTable(table: string): RankedPushableTable {
  const entry = pushableTable(table);
  if (!entry) {
    throw new RaceDeskError('internal', `${table} is not a table the hub push knows; add it to src-main/core/hub/pushable-tables.ts.`);
  }
  return entry;
}

/**
 * The key as canonical JSON: key columns in declared order, each value in its column's storage
 * type. STRICT tables store '123' in an INTEGER column as 123, so writers passing either spelling
 * must land on the same outbox entry.
 */
export function canonicalKey(db: Db, entry: RankedPushableTable, key: RowKey): string {
  const types = localColumnTypes(db, entry.table);
  const canonical: RowKey = {};
  for (const column of entry.key) {
    const value = key[column];
    if (value === undefined || value === null) {
      throw new RaceDeskError('internal', `The outbox entry for ${entry.table} lacks its key column ${column}.`);
    }
    const type = types.get(column);
    if (type === 'INTEGER' && typeof value !== 'number' && typeof value !== 'bigint') {
      const number = Number(value);
      canonical[column] = Number.isSafeInteger(number) ? number : value;
    } else if (type === 'TEXT' && typeof value !== 'string') {
      canonical[column] = String(value);
    } else {
      canonical[column] = typeof value === 'bigint' ? Number(value) : value;
    }
  }
  return JSON.stringify(canonical);
}

const recordStatements = new WeakMap<Db, Database.Statement<[string, string, OutboxOp]>>();

export function recordOutboxChange(db: Db, change: OutboxChange): void {
  const entry = knownTable(change.table);
  let statement = recordStatements.get(db);
  if (!statement) {
    statement = db.prepare<[string, string, OutboxOp]>(
      `INSERT INTO hub_outbox (table_name, row_key, op) VALUES (?, ?, ?)
       ON CONFLICT (table_name, row_key) WHERE batch_id IS NULL
       DO UPDATE SET op = excluded.op, recorded_at = excluded.recorded_at`,
    );
    recordStatements.set(db, statement);
  }
  statement.run(entry.table, canonicalKey(db, entry, change.key), change.op);
}

/**
 * Records a delete for every row that `match` selects in `table`, and for every row that the
 * local foreign keys would delete with it (ON DELETE CASCADE), before the caller deletes them:
 * the hub learns of each removed row, including those SQLite removes silently.
 */
export function recordDeletions(db: Db, table: string, match: RowKey): void {
  const entry = pushableTable(table);
  const columns = Object.keys(match);
  if (columns.length === 0) return;
  const where = columns.map((c) => `${c} = ?`).join(' AND ');
  const rows = db.prepare(`SELECT * FROM ${table} WHERE ${where}`).all(...columns.map((c) => match[c])) as RowKey[];
  for (const row of rows) {
    if (entry) recordOutboxChange(db, { table, key: row, op: 'delete' });
    for (const child of cascadingChildren(db, table)) {
      const childMatch: RowKey = {};
      child.columns.forEach(({ from, to }) => (childMatch[from] = row[to]));
      recordDeletions(db, child.table, childMatch);
    }
  }
}

function cascadingChildren(db: Db, parent: string): Array<{ table: string; columns: Array<{ from: string; to: string }> }> {
  const children: Array<{ table: string; columns: Array<{ from: string; to: string }> }> = [];
  for (const candidate of pushableTables) {
    if (!tableExists(db, candidate.table)) continue;
    const foreignKeys = db.prepare(`SELECT * FROM pragma_foreign_key_list(?)`).all(candidate.table) as Array<{
      id: number;
      table: string;
      from: string;
      to: string | null;
      on_delete: string;
    }>;
    const grouped = new Map<number, Array<{ from: string; to: string }>>();
    for (const fk of foreignKeys) {
      if (fk.table !== parent || fk.on_delete !== 'CASCADE' || fk.to === null) continue;
      grouped.set(fk.id, [...(grouped.get(fk.id) ?? []), { from: fk.from, to: fk.to }]);
    }
    for (const columns of grouped.values()) children.push({ table: candidate.table, columns });
  }
  return children;
}

function tableExists(db: Db, table: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(table) !== undefined;
}

// Push-side bookkeeping ---------------------------------------------------------------------------

export interface BatchEntry {
  seq: number;
  table: string;
  key: RowKey;
  /** The row as it was when the batch was taken; null when the row no longer exists (a delete). */
  row: RowKey | null;
}

export interface Batch {
  batchId: string;
  entries: BatchEntry[];
}

/**
 * The batch to send next. A batch that was taken but not confirmed (the app died, the network
 * dropped) is sent again exactly as it was, with the same id: the hub skips a batch id it has
 * already applied, so resending is harmless. Otherwise the next entries, parents first (see
 * pushable-tables.ts), get a fresh id, and the rows are copied into the batch in the same
 * SQLite transaction, so the batch is one consistent snapshot.
 */
export function takeBatch(db: Db, size: number): Batch | null {
  return db.transaction((): Batch | null => {
    const inFlight = db.prepare(`SELECT batch_id FROM hub_outbox WHERE batch_id IS NOT NULL ORDER BY seq LIMIT 1`).get() as
      | { batch_id: string }
      | undefined;
    if (inFlight) return readBatch(db, inFlight.batch_id);

    const pending = db
      .prepare(`SELECT seq, table_name, row_key FROM hub_outbox WHERE batch_id IS NULL ORDER BY ${pushOrder}, seq LIMIT ?`)
      .all(size) as Array<{ seq: number; table_name: string; row_key: string }>;
    if (pending.length === 0) return null;
    const batchId = randomUUID();
    const assign = db.prepare(`UPDATE hub_outbox SET batch_id = ?, row_data = ? WHERE seq = ?`);
    for (const entry of pending) {
      const table = knownTable(entry.table_name);
      const key = JSON.parse(entry.row_key) as RowKey;
      const row = db.prepare(`SELECT * FROM ${table.table} WHERE ${table.key.map((c) => `${c} = ?`).join(' AND ')}`).get(
        ...table.key.map((c) => key[c]),
      ) as RowKey | undefined;
      assign.run(batchId, row === undefined ? null : JSON.stringify(row, bigintAsNumber), entry.seq);
    }
    return readBatch(db, batchId);
  }).immediate();
}

const pushOrder = `CASE table_name ${pushableTables.map((entry, rank) => `WHEN '${entry.table}' THEN ${rank}`).join(' ')} END`;

function bigintAsNumber(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function readBatch(db: Db, batchId: string): Batch {
  const rows = db
    .prepare(`SELECT seq, table_name, row_key, row_data FROM hub_outbox WHERE batch_id = ? ORDER BY ${pushOrder}, seq`)
    .all(batchId) as Array<{ seq: number; table_name: string; row_key: string; row_data: string | null }>;
  return {
    batchId,
    entries: rows.map((r) => ({
      seq: r.seq,
      table: r.table_name,
      key: JSON.parse(r.row_key) as RowKey,
      row: r.row_data === null ? null : (JSON.parse(r.row_data) as RowKey),
    })),
  };
}

/** The hub confirmed the batch: its entries are done. */
export function completeBatch(db: Db, batchId: string): void {
  db.transaction(() => {
    const removed = db.prepare(`DELETE FROM hub_outbox WHERE batch_id = ?`).run(batchId).changes;
    db.prepare(
      `UPDATE hub_push_state SET last_push_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         rows_pushed = rows_pushed + ?, last_error = NULL, last_error_at = NULL`,
    ).run(removed);
  }).immediate();
}

export function recordPushFailure(db: Db, message: string): void {
  db.prepare(`UPDATE hub_push_state SET last_error = ?, last_error_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`).run(message);
}

/** This laptop's id on the hub (made once, when the outbox was created). */
export function laptopId(db: Db): string {
  return (db.prepare(`SELECT laptop_id FROM hub_push_state`).get() as { laptop_id: string }).laptop_id;
}

/** Local rows the hub has not seen in their current state (for `racedesk status`). */
export function pendingChangeCount(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM hub_outbox`).get() as { n: number }).n;
}

export interface LastPush {
  /** When a push last emptied a batch into the hub (ISO UTC), null if never. */
  at: string | null;
  rowsPushed: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

export function lastPush(db: Db): LastPush {
  const state = db.prepare(`SELECT last_push_at, rows_pushed, last_error, last_error_at FROM hub_push_state`).get() as {
    last_push_at: string | null;
    rows_pushed: number;
    last_error: string | null;
    last_error_at: string | null;
  };
  return { at: state.last_push_at, rowsPushed: state.rows_pushed, lastError: state.last_error, lastErrorAt: state.last_error_at };
}
