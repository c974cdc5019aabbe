import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { pushableTable, pushableTables, type PushableTable, type RankedPushableTable } from './pushable-tables.ts';

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

/*
 * A batch is a set of outbox entries sharing a batch_id, each with a snapshot of its row
 * (row_data: a JSON object of the row's non-NULL local columns under their local names, or NULL
 * for a delete; snapshots taken by earlier versions also list the NULLs, which reads the same).
 * The push never turns the rows into JavaScript objects: per table it asks SQLite for the
 * batch's rows already joined into one JSON array (batchPayload) and hands those bytes to the
 * hub unchanged. Parsing and re-serialising 200,000 rows in JavaScript cost more than the hub's
 * own work (docs/performance-push.md).
 */
export interface Batch {
  batchId: string;
  /** Entries in the batch (rows upserted plus rows deleted). */
  size: number;
  /** The tables the batch touches, in push order (parents first). */
  tables: BatchTable[];
}

export interface BatchTable {
  table: string;
  upserts: number;
  deletes: number;
}

/** One entry of a batch, parsed: for tests and for naming a row in an error message. */
export interface BatchEntry {
  seq: number;
  table: string;
  key: RowKey;
  /** The row as it was when the batch was taken; null when the row no longer exists (a delete). */
  row: RowKey | null;
}

/**
 * The batch to send next: the oldest batch taken but not confirmed, or, given `after`, the one
 * taken after that batch. Such a batch (the app died, the network dropped, or the push prepared
 * it while the hub worked on the one before) is sent again exactly as it was, with the same id:
 * the hub skips a batch id it has already applied, so resending is harmless, and batches go in
 * the order they were taken (hub_outbox_batches), so a row changed between two batches ends with
 * its later snapshot. When no such batch waits, the next entries, parents first (see
 * pushable-tables.ts), get a fresh id, and the rows are copied into the batch in the same SQLite
 * transaction, so the batch is one consistent snapshot.
 *
 * Cost: one UPDATE per table with waiting entries, which picks them through the
 * hub_outbox_waiting index (table_name, row_key) and copies each row as JSON inside SQLite, so taking a batch costs in proportion to its size, not to the size of the outbox.
 * Within a table, entries therefore go in key order (the index's order) rather than the order
 * they were recorded: that order carries no meaning on the hub (a batch holds one entry per
 * row, each applied by its own key), and sorting a 200,000-entry outbox by sequence for every
 * batch cost more than the rest of taking it (docs/performance-push.md).
 */
export function takeBatch(db: Db, size: number, after: string | null = null): Batch | null {
  if (!Number.isSafeInteger(size) || size < 1) throw new RaceDeskError('internal', `A push batch needs at least one row (got ${size}).`);
  return db.transaction((): Batch | null => {
    const unconfirmed = db
      .prepare(
        `SELECT batch_id FROM hub_outbox_batches
         WHERE taken > coalesce((SELECT taken FROM hub_outbox_batches WHERE batch_id = ?), 0) ORDER BY taken LIMIT 1`,
      )
      .pluck()
      .get(after) as string | undefined;
    if (unconfirmed !== undefined) return readBatch(db, unconfirmed);

    const batchId = randomUUID();
    const waiting = db.prepare(`SELECT 1 FROM hub_outbox WHERE batch_id IS NULL AND table_name = ? LIMIT 1`).pluck();
    let taken = 0;
    for (const table of pushableTables) {
      if (taken >= size) break;
      if (waiting.get(table.table) === undefined) continue;
      taken += snapshotStatement(db, table).run({ batchId, table: table.table, limit: size - taken }).changes;
    }
    if (taken === 0) return null;
    db.prepare(`INSERT INTO hub_outbox_batches (batch_id) VALUES (?)`).run(batchId);
    return readBatch(db, batchId);
  }).immediate();
}

const snapshotStatements = new WeakMap<Db, Map<string, Database.Statement>>();
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Moves up to `limit` waiting entries of one table into the batch, each with its row as JSON. */
function snapshotStatement(db: Db, table: PushableTable): Database.Statement {
  let perDb = snapshotStatements.get(db);
  if (!perDb) snapshotStatements.set(db, (perDb = new Map()));
  let statement = perDb.get(table.table);
  if (!statement) {
    const columns = [...localColumnTypes(db, table.table).keys()];
    // json_extract gives back the key's JSON number or string, in the column's storage type
    // (canonicalKey wrote it so), so each row is found through the table's unique key index.
    const match = table.key.map((c) => `t.${quoted(c)} = json_extract(hub_outbox.row_key, '$.${c}')`).join(' AND ');
    // The row as a JSON object of its non-NULL columns: concat_ws skips NULLs, and json_quote
    // writes each value as JSON (numbers as numbers, text escaped). Leaving NULLs out halves the
    // snapshot of a typical sparse provider row, and costs less than json_object; the hub reads
    // a missing column as NULL, so a value cleared on the laptop is cleared on the hub too.
    const members = columns.map((c) => `CASE WHEN t.${quoted(c)} IS NOT NULL THEN '${`${JSON.stringify(c)}:`.replaceAll("'", "''")}' || json_quote(t.${quoted(c)}) END`);
    statement = db.prepare(
      `UPDATE hub_outbox SET batch_id = @batchId,
         row_data = (SELECT '{' || concat_ws(',', ${members.join(', ')}) || '}' FROM ${quoted(table.table)} AS t WHERE ${match})
       WHERE seq IN (SELECT seq FROM hub_outbox WHERE batch_id IS NULL AND table_name = @table ORDER BY row_key LIMIT @limit)`,
    );
    perDb.set(table.table, statement);
  }
  return statement;
}

function readBatch(db: Db, batchId: string): Batch {
  const counts = db
    .prepare(`SELECT table_name, count(row_data) AS upserts, count(*) - count(row_data) AS deletes FROM hub_outbox WHERE batch_id = ? GROUP BY table_name`)
    .all(batchId) as Array<{ table_name: string; upserts: number; deletes: number }>;
  const tables = counts
    .map((c) => ({ table: c.table_name, upserts: c.upserts, deletes: c.deletes, rank: knownTable(c.table_name).rank }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ rank: _rank, ...table }) => table);
  return { batchId, size: tables.reduce((sum, t) => sum + t.upserts + t.deletes, 0), tables };
}

/**
 * One table's part of a batch as a JSON array in UTF-8 bytes, joined inside SQLite: the rows it
 * upserts (as snapshotted, local column names), or the keys of the rows it deletes.
 */
export function batchPayload(db: Db, batchId: string, table: string, kind: 'upsert' | 'delete'): Buffer {
  const payload = db
    .prepare(
      kind === 'upsert'
        ? `SELECT CAST('[' || group_concat(row_data, ',') || ']' AS BLOB) FROM hub_outbox WHERE batch_id = ? AND table_name = ? AND row_data IS NOT NULL`
        : `SELECT CAST('[' || group_concat(row_key, ',') || ']' AS BLOB) FROM hub_outbox WHERE batch_id = ? AND table_name = ? AND row_data IS NULL`,
    )
    .pluck()
    .get(batchId, table) as Buffer | null;
  return payload ?? Buffer.from('[]');
}

const pushOrder = `CASE table_name ${pushableTables.map((entry, rank) => `WHEN '${entry.table}' THEN ${rank}`).join(' ')} END`;

export function batchEntries(db: Db, batchId: string): BatchEntry[] {
  const rows = db
    .prepare(`SELECT seq, table_name, row_key, row_data FROM hub_outbox WHERE batch_id = ? ORDER BY ${pushOrder}, seq`)
    .all(batchId) as Array<{ seq: number; table_name: string; row_key: string; row_data: string | null }>;
  return rows.map((r) => ({
    seq: r.seq,
    table: r.table_name,
    key: JSON.parse(r.row_key) as RowKey,
    row: r.row_data === null ? null : (JSON.parse(r.row_data) as RowKey),
  }));
}

/** The hub confirmed the batch: its entries are done. Returns how many entries left the outbox. */
export function completeBatch(db: Db, batchId: string): number {
  return db.transaction(() => {
    const removed = db.prepare(`DELETE FROM hub_outbox WHERE batch_id = ?`).run(batchId).changes;
    db.prepare(`DELETE FROM hub_outbox_batches WHERE batch_id = ?`).run(batchId);
    db.prepare(
      `UPDATE hub_push_state SET last_push_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         rows_pushed = rows_pushed + ?, last_error = NULL, last_error_at = NULL`,
    ).run(removed);
    return removed;
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
