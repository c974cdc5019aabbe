import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { boundLimit, preparedFor } from '../store/statements.ts';
import { letEventLoopRun } from '../event-loop.ts';
import { pushableTable, pushableTables, type PushableTable, type RankedPushableTable } from '../store/pushable-tables.ts';

/*
 * The local outbox: one entry per local row that the hub has not seen in its current state.
 * Triggers on every pushable table write the entry IN THE SAME SQLite TRANSACTION as the change
 * (store/outbox-triggers.ts), so a change and its outbox entry commit (or vanish) together.
 *
 * Entries coalesce: while an entry for (table, key) waits, a new change to that row only updates
 * its op and keeps its sequence number. The push reads the row as it is at push time, so a row
 * edited ten times is sent once. An entry that belongs to a batch in flight never coalesces (the
 * unique index covers only unbatched entries): a change made during a push gets an entry of its
 * own and goes with the next batch.
 */
export type RowKey = Record<string, unknown>;

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
    throw new RaceDeskError('internal', `${table} is not a table the hub push knows; add it to src-main/core/store/pushable-tables.ts.`);
  }
  return entry;
}

/**
 * The key as canonical JSON: key columns in declared order, each value in its column's storage
 * type, the text the outbox triggers write. STRICT tables store '123' in an INTEGER column as
 * 123, so a key the hub gives back in either spelling finds the same entry.
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

// Push-side bookkeeping ---------------------------------------------------------------------------

/*
 * A batch is a set of outbox entries sharing a batch_id, each with a snapshot of its row taken
 * when the batch was: row_csv, the row as one CSV line of the columns the hub stores (the
 * batch's `columns` for that table, in order), or NULL for a delete. Snapshots taken before
 * version 42 are JSON objects in row_data and read the same. The push never turns rows into
 * JavaScript objects: per table it asks SQLite for the batch's lines already joined (batchUpserts)
 * and streams those bytes into the hub's COPY. Parsing and re-serialising 200,000 rows in
 * JavaScript cost more than the hub's own work, and COPY reads CSV at a fraction of what
 * unpacking JSON costs the hub (docs/performance-push.md).
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
  /** The row's non-NULL pushed columns as they were when the batch was taken; null for a delete. */
  row: RowKey | null;
}

/** The local columns of a table that the hub stores, in the order a batch's CSV lines hold them. */
export function pushedColumns(db: Db, table: PushableTable): string[] {
  return [...localColumnTypes(db, table.table).keys()].filter((c) => !table.localOnlyColumns.includes(c) && c !== 'timing_partner_id');
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
 * hub_outbox_waiting index (table_name, row_key) and copies each row as a CSV line inside SQLite,
 * so taking a batch costs in proportion to its size, not to the size of the outbox.
 * Within a table, entries therefore go in key order (the index's order) rather than the order
 * they were recorded: that order carries no meaning on the hub (a batch holds one entry per
 * row, each applied by its own key), and sorting a 200,000-entry outbox by sequence for every
 * batch cost more than the rest of taking it (docs/performance-push.md).
 */
export function takeBatch(db: Db, size: number, after: string | null = null): Batch | null {
  return nextBatch(db, size, after, false)?.batch ?? null;
}

/*
 * Rows a batch takes per SQLite transaction in takeBatchInSteps. Taking a whole batch of 5,000
 * rows at once (a CSV line each, built inside SQLite) held the core host's event loop for about
 * 140 ms of CPU, with every window and venue device waiting; 500 take a tenth of that.
 */
export const batchStepRows = 500;

/**
 * takeBatch for the push: a new batch is taken `stepRows` rows per transaction, the event loop
 * let run between them. Each step takes parents first, as takeBatch does, so a parent recorded
 * between two steps joins the batch before its children; a row changed between two steps waits
 * for the next batch (one entry per row in a batch). A batch already taken goes as it is: it may
 * have reached the hub, and rows added now would be confirmed without the hub having them. For
 * the same reason a batch stops growing once anyone else starts sending it (migration 0190).
 */
export async function takeBatchInSteps(db: Db, size: number, after: string | null = null, stepRows = batchStepRows): Promise<Batch | null> {
  const first = nextBatch(db, Math.min(size, stepRows), after, size > stepRows);
  if (!first || !first.fresh || size <= stepRows) return first?.batch ?? null;
  const { batchId } = first.batch;
  let total = first.batch.size;
  // A step that found fewer waiting rows than it asked for took the last of them.
  let drained = total < stepRows;
  while (!drained && total < size) {
    await letEventLoopRun();
    const asked = Math.min(stepRows, size - total);
    const taken = growBatch(db, batchId, asked);
    if (taken === null) return readBatch(db, batchId);
    total += taken;
    drained = taken < asked;
  }
  return db.transaction(() => {
    db.prepare(`UPDATE hub_outbox_batches SET complete = 1 WHERE batch_id = ?`).run(batchId);
    return readBatch(db, batchId);
  }).immediate();
}

/** The batch takeBatch describes; `fresh` when made now, left open (complete = 0) to grow when `open`. */
function nextBatch(db: Db, size: number, after: string | null, open: boolean): { batch: Batch; fresh: boolean } | null {
  if (!Number.isSafeInteger(size) || size < 1) throw new RaceDeskError('internal', `A push batch needs at least one row (got ${size}).`);
  return db.transaction(() => {
    const unconfirmed = db
      .prepare(
        `SELECT batch_id FROM hub_outbox_batches
         WHERE taken > coalesce((SELECT taken FROM hub_outbox_batches WHERE batch_id = ?), 0) ORDER BY taken LIMIT 1`,
      )
      .pluck()
      .get(after) as string | undefined;
    if (unconfirmed !== undefined) {
      // From here on it is sent as it is: a push still growing it stops there (growBatch).
      db.prepare(`UPDATE hub_outbox_batches SET complete = 1 WHERE batch_id = ? AND complete = 0`).run(unconfirmed);
      return { batch: readBatch(db, unconfirmed), fresh: false };
    }
    const batchId = randomUUID();
    const { taken, columns } = snapshotWaiting(db, batchId, size);
    if (taken === 0) return null;
    db.prepare(`INSERT INTO hub_outbox_batches (batch_id, columns, complete) VALUES (?, ?, ?)`).run(batchId, JSON.stringify(columns), open ? 0 : 1);
    return { batch: readBatch(db, batchId), fresh: true };
  }).immediate();
}

/** Adds up to `limit` waiting entries to a batch still open; null when someone started sending it meanwhile. */
function growBatch(db: Db, batchId: string, limit: number): number | null {
  return db.transaction((): number | null => {
    const recorded = db.prepare(`SELECT columns FROM hub_outbox_batches WHERE batch_id = ? AND complete = 0`).pluck().get(batchId) as string | undefined;
    if (recorded === undefined) return null;
    const { taken, columns } = snapshotWaiting(db, batchId, limit);
    if (taken > 0) {
      const merged = { ...(JSON.parse(recorded) as Record<string, string[]>), ...columns };
      db.prepare(`UPDATE hub_outbox_batches SET columns = ? WHERE batch_id = ?`).run(JSON.stringify(merged), batchId);
    }
    return taken;
  }).immediate();
}

/** Moves up to `limit` waiting entries, parents first, into the batch; names the columns of each table taken from. */
function snapshotWaiting(db: Db, batchId: string, limit: number): { taken: number; columns: Record<string, string[]> } {
  const waiting = db.prepare(`SELECT 1 FROM hub_outbox WHERE batch_id IS NULL AND table_name = ? LIMIT 1`).pluck();
  const columns: Record<string, string[]> = {};
  let taken = 0;
  for (const table of pushableTables) {
    if (taken >= limit) break;
    if (waiting.get(table.table) === undefined) continue;
    taken += snapshotStatement(db, table).run({ batchId, table: table.table, limit: limit - taken }).changes;
    columns[table.table] = pushedColumns(db, table);
  }
  return { taken, columns };
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** A text value as a CSV field: always quoted, so an empty string stays apart from NULL (an empty field). */
const csvText = (value: string) => `'"' || replace(${value}, '"', '""') || '"'`;

/** Moves up to `limit` waiting entries of one table into the batch, each with its row as a CSV line of pushedColumns. */
function snapshotStatement(db: Db, table: PushableTable): Database.Statement {
  return preparedFor(db, `outbox snapshot ${table.table}`, () => {
    const types = localColumnTypes(db, table.table);
    // json_extract gives back the key's JSON number or string, in the column's storage type
    // (canonicalKey wrote it so), so each row is found through the table's unique key index.
    const match = table.key.map((c) => `t.${quoted(c)} = json_extract(hub_outbox.row_key, '$.${c}')`).join(' AND ');
    /*
     * One CSV field per column (COPY's csv format): NULL as an empty field, text quoted with its
     * quotes doubled (commas and line breaks inside quotes need nothing more), integers as they
     * are, anything else as json_quote writes it (a REAL as the JSON number the earlier snapshots
     * held). concat_ws joins the fields in one pass; one replace per text value is the whole
     * escaping, about as cheap as the JSON objects it replaces.
     */
    const field = (c: string) => {
      const value = `t.${quoted(c)}`;
      if (types.get(c) === 'TEXT') return `coalesce(${csvText(value)}, '')`;
      if (types.get(c) === 'INTEGER') return `coalesce(CAST(${value} AS TEXT), '')`;
      return `CASE WHEN ${value} IS NULL THEN '' WHEN typeof(${value}) = 'text' THEN ${csvText(value)} ELSE json_quote(${value}) END`;
    };
    return `UPDATE hub_outbox SET batch_id = @batchId,
         row_csv = (SELECT concat_ws(',', ${pushedColumns(db, table).map(field).join(', ')}) FROM ${quoted(table.table)} AS t WHERE ${match})
       WHERE seq IN (SELECT seq FROM hub_outbox WHERE batch_id IS NULL AND table_name = @table
         -- A row the batch already holds (taken in an earlier step) waits for the next batch: one
         -- INSERT ... ON CONFLICT cannot write the same hub row twice.
         AND row_key NOT IN (SELECT row_key FROM hub_outbox WHERE batch_id = @batchId AND table_name = @table)
         ORDER BY row_key ${boundLimit('@limit')})`;
  });
}

// An entry upserts when it holds a snapshot, in either form; a delete holds none.
const holdsRow = `coalesce(row_csv, row_data) IS NOT NULL`;

export function readBatch(db: Db, batchId: string): Batch {
  const counts = db
    .prepare(
      `SELECT table_name, count(coalesce(row_csv, row_data)) AS upserts, count(*) - count(coalesce(row_csv, row_data)) AS deletes
       FROM hub_outbox WHERE batch_id = ? GROUP BY table_name`,
    )
    .all(batchId) as Array<{ table_name: string; upserts: number; deletes: number }>;
  const tables = counts
    .map((c) => ({ table: c.table_name, upserts: c.upserts, deletes: c.deletes, rank: knownTable(c.table_name).rank }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ rank: _rank, ...table }) => table);
  return { batchId, size: tables.reduce((sum, t) => sum + t.upserts + t.deletes, 0), tables };
}

/** The columns a batch's lines hold for a table: as recorded when it was taken, or (JSON snapshots) today's. */
function batchColumns(db: Db, batchId: string, table: RankedPushableTable): string[] {
  const recorded = preparedFor(db, 'outbox batch columns', () => `SELECT columns -> ('$.' || json_quote(?)) FROM hub_outbox_batches WHERE batch_id = ?`)
    .pluck()
    .get(table.table, batchId) as string | null | undefined;
  return recorded ? (JSON.parse(recorded) as string[]) : pushedColumns(db, table);
}

export interface UpsertPayload {
  /** The hub columns the lines fill, in order (local names). */
  columns: string[];
  /** The batch's rows of one table as CSV lines, each ending in a line break, UTF-8. */
  csv: Buffer;
}

/** One table's upserts in a batch, joined inside SQLite into the bytes COPY reads. */
export function batchUpserts(db: Db, batchId: string, table: string): UpsertPayload {
  const entry = knownTable(table);
  const columns = batchColumns(db, batchId, entry);
  const csv = preparedFor(db, `outbox upserts ${table} ${columns.join(', ')}`, () => {
    // A JSON snapshot (taken before version 42) becomes a line here: -> gives each number as the
    // JSON text it was written as, ->> each string's value.
    const fromJson = `concat_ws(',', ${columns
      .map((c) => {
        const path = `'$.${JSON.stringify(c).replaceAll("'", "''")}'`;
        return `CASE json_type(row_data, ${path}) WHEN 'null' THEN '' WHEN 'text' THEN ${csvText(`(row_data ->> ${path})`)}
          WHEN 'object' THEN ${csvText(`(row_data -> ${path})`)} WHEN 'array' THEN ${csvText(`(row_data -> ${path})`)}
          ELSE coalesce(row_data -> ${path}, '') END`;
      })
      .join(', ')})`;
    return `SELECT CAST(group_concat(coalesce(row_csv, ${fromJson}), char(10)) || char(10) AS BLOB)
       FROM hub_outbox WHERE batch_id = ? AND table_name = ? AND ${holdsRow}`;
  })
    .pluck()
    .get(batchId, table) as Buffer | null;
  return { columns, csv: csv ?? Buffer.alloc(0) };
}

/** The keys of the rows one table's part of a batch deletes, as a JSON array in UTF-8 bytes. */
export function batchDeletes(db: Db, batchId: string, table: string): Buffer {
  const payload = db
    .prepare(`SELECT CAST('[' || group_concat(row_key, ',') || ']' AS BLOB) FROM hub_outbox WHERE batch_id = ? AND table_name = ? AND NOT (${holdsRow})`)
    .pluck()
    .get(batchId, table) as Buffer | null;
  return payload ?? Buffer.from('[]');
}

const pushOrder = `CASE table_name ${pushableTables.map((entry, rank) => `WHEN '${entry.table}' THEN ${rank}`).join(' ')} END`;

export function batchEntries(db: Db, batchId: string): BatchEntry[] {
  const rows = db
    .prepare(`SELECT seq, table_name, row_key, row_csv, row_data FROM hub_outbox WHERE batch_id = ? ORDER BY ${pushOrder}, seq`)
    .all(batchId) as Array<{ seq: number; table_name: string; row_key: string; row_csv: string | null; row_data: string | null }>;
  const columnsOf = new Map<string, string[]>();
  return rows.map((r) => {
    let row: RowKey | null = null;
    if (r.row_csv !== null) {
      const entry = knownTable(r.table_name);
      if (!columnsOf.has(entry.table)) columnsOf.set(entry.table, batchColumns(db, batchId, entry));
      row = csvRow(db, entry.table, columnsOf.get(entry.table)!, r.row_csv);
    } else if (r.row_data !== null) {
      row = JSON.parse(r.row_data) as RowKey;
    }
    return { seq: r.seq, table: r.table_name, key: JSON.parse(r.row_key) as RowKey, row };
  });
}

/** A snapshot line back as the row's non-NULL columns, numbers as numbers. */
function csvRow(db: Db, table: string, columns: string[], line: string): RowKey {
  const types = localColumnTypes(db, table);
  const row: RowKey = {};
  let at = 0;
  for (const column of columns) {
    let value: string | null;
    if (line[at] === '"') {
      let text = '';
      for (at += 1; ; ) {
        const quote = line.indexOf('"', at);
        text += line.slice(at, quote);
        at = quote + 1;
        if (line[at] !== '"') break;
        text += '"';
        at += 1;
      }
      value = text;
    } else {
      const comma = line.indexOf(',', at);
      const end = comma === -1 ? line.length : comma;
      value = end === at ? null : line.slice(at, end);
      at = end;
    }
    at += 1; // the comma
    if (value === null) continue;
    const type = types.get(column);
    row[column] = type === 'INTEGER' || type === 'REAL' ? Number(value) : value;
  }
  return row;
}

/** The hub confirmed the batch: its entries are done. Returns how many entries left the outbox. */
export function completeBatch(db: Db, batchId: string): number {
  return db.transaction(() => {
    db.prepare(
      `DELETE FROM hub_refused_rows WHERE (table_name, row_key) IN (SELECT table_name, row_key FROM hub_outbox WHERE batch_id = ?)`,
    ).run(batchId);
    const removed = db.prepare(`DELETE FROM hub_outbox WHERE batch_id = ?`).run(batchId).changes;
    db.prepare(`DELETE FROM hub_outbox_batches WHERE batch_id = ?`).run(batchId);
    db.prepare(
      `UPDATE hub_push_state SET last_push_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         rows_pushed = rows_pushed + ?, last_error = NULL, last_error_at = NULL`,
    ).run(removed);
    return removed;
  }).immediate();
}

export interface RefusedRow {
  table: string;
  key: RowKey;
  reason: string;
}

/**
 * Takes rows the hub refused out of a batch (and so out of the outbox) into hub_refused_rows,
 * with the hub's reason: the batch then goes without them. `key` is as the hub gave it back.
 */
export function setAsideRows(db: Db, batchId: string, refused: readonly RefusedRow[]): void {
  const remember = db.prepare(
    `INSERT INTO hub_refused_rows (table_name, row_key, reason) VALUES (?, ?, ?)
     ON CONFLICT (table_name, row_key) DO UPDATE SET reason = excluded.reason, refused_at = excluded.refused_at`,
  );
  const drop = db.prepare(`DELETE FROM hub_outbox WHERE batch_id = ? AND table_name = ? AND row_key = ?`);
  db.transaction(() => {
    for (const row of refused) {
      const key = canonicalKey(db, knownTable(row.table), row.key);
      remember.run(row.table, key, row.reason);
      drop.run(batchId, row.table, key);
    }
  }).immediate();
}

/** The rows the hub refused, newest first (the Sync page lists them). */
export function refusedRows(db: Db): Array<{ table: string; key: RowKey; reason: string; refusedAt: string }> {
  const rows = db.prepare(`SELECT table_name, row_key, reason, refused_at FROM hub_refused_rows ORDER BY refused_at DESC, table_name, row_key`).all() as Array<{
    table_name: string;
    row_key: string;
    reason: string;
    refused_at: string;
  }>;
  return rows.map((r) => ({ table: r.table_name, key: JSON.parse(r.row_key) as RowKey, reason: r.reason, refusedAt: r.refused_at }));
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
