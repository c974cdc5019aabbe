import type Database from 'better-sqlite3';
import type { Db } from '../store/database.ts';
import { preparedFor, preparedPerDb, rowsPerStatement, valueRows } from '../store/statements.ts';
import { canonicalKey, localColumnTypes } from './outbox.ts';
import { pushableTable, type PushableTable } from '../store/pushable-tables.ts';
import { writeWithoutOutbox } from '../store/outbox-triggers.ts';
import { restorePulledWalkUpDetails } from '../pickup/walk-ups.ts';
import type { CopiedRow } from './copy-rows.ts';
import { searchReturning, writeRunners } from '../store/search-index.ts';

/*
 * The pull's local side: writes the rows a batch brought, and its cursor, in one transaction.
 *
 * Pulled rows must not go back to the hub as new changes: they are written with the outbox
 * triggers paused (writeWithoutOutbox), so no write of a pull, a trigger's included, queues
 * anything for the hub. Each batch is an immediate transaction: no other writer comes between
 * its look at the outbox and its writes.
 *
 * A row with an outbox entry keeps the laptop's version: the laptop changed it after its last
 * push, and that push will make the hub equal to it, the hub's "later push wins" for whole rows.
 * Venue edits never conflict this way: each is its own participant_changes row (see pull.ts).
 */
export interface PulledTable {
  table: PushableTable;
  /** Local columns, in the order the hub's COPY gives them (change_seq follows them). */
  columns: string[];
  /** Per column: whether the laptop stores it as a number (COPY sends every value as text). */
  numeric: boolean[];
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function insertStatement(db: Db, plan: PulledTable, rows: number): Database.Statement {
  return preparedFor(db, `pull write ${plan.table.table} ${rows} ${plan.columns.join(', ')}`, () => {
    const columns = [...(hasPartner(db, plan) ? ['timing_partner_id'] : []), ...plan.columns];
    const updates = columns.filter((c) => !plan.table.key.includes(c)).map((c) => `${quoted(c)} = excluded.${quoted(c)}`);
    return `INSERT INTO ${quoted(plan.table.table)} (${columns.map(quoted).join(', ')})
      VALUES ${valueRows(rows, columns.length)}
      ON CONFLICT (${plan.table.key.map(quoted).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}
      ${searchReturning(plan.table.table) ?? ''}`;
  });
}

const hasPartner = (db: Db, plan: PulledTable) => localColumnTypes(db, plan.table.table).has('timing_partner_id');

/*
 * The outbox look-ups, each condition through its own index (hub_outbox_waiting for waiting
 * entries, hub_outbox_batch for those in a batch in flight): one condition on table_name and
 * row_key alone would read the whole outbox. Asked once per batch, and for the batch's keys only
 * when the table has entries at all: on a laptop with nothing unpushed a pulled row costs no
 * look-up and no canonical key.
 */
const outbox = preparedPerDb((db) => ({
  holds: db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM hub_outbox WHERE batch_id IS NULL AND table_name = @table)
        OR EXISTS (SELECT 1 FROM hub_outbox WHERE batch_id IS NOT NULL AND table_name = @table)`,
    )
    .pluck(),
  holdsOf: db
    .prepare(
      `SELECT k.value FROM json_each(@keys) AS k
       WHERE EXISTS (SELECT 1 FROM hub_outbox WHERE batch_id IS NULL AND table_name = @table AND row_key = k.value)
          OR EXISTS (SELECT 1 FROM hub_outbox WHERE batch_id IS NOT NULL AND table_name = @table AND row_key = k.value)`,
    )
    .pluck(),
}));

/** Of `keys` (canonicalKey), those with an outbox entry, waiting or in flight: rows this laptop changed and has not pushed. */
function unpushed(db: Db, table: string, keys: readonly string[]): Set<string> {
  return new Set(outbox(db).holdsOf.all({ table, keys: JSON.stringify(keys) }) as string[]);
}

const tableHasUnpushed = (db: Db, table: string) => outbox(db).holds.get({ table }) === 1;

/**
 * Writes one batch (rows as the hub's COPY gives them, change_seq last) and moves the table's
 * cursor to its last row, in one transaction. Returns how many rows kept the laptop's unpushed
 * version instead. `inside` runs within the transaction (the crash tests' hook).
 */
export function writePulledBatch(db: Db, plan: PulledTable, rows: readonly CopiedRow[], partnerId: number, inside?: () => void): number {
  const table = pushableTable(plan.table.table)!;
  const withPartner = hasPartner(db, plan);
  const keyAt = table.key.map((column) => plan.columns.indexOf(column));
  const walkUp = table.table === 'participant_changes' ? { field: plan.columns.indexOf('field'), participant: plan.columns.indexOf('participant_id') } : null;
  return writeWithoutOutbox(db, () => {
    const keys = tableHasUnpushed(db, table.table)
      ? rows.map((row) => canonicalKey(db, table, Object.fromEntries(table.key.map((column, i) => [column, row[keyAt[i]!]]))))
      : null;
    const kept = keys ? unpushed(db, table.table, keys) : new Set<string>();
    let keptRows = 0;
    const walkUpDetails = new Set<string>();
    const values: unknown[] = [];
    let pending = 0;
    const flush = () => {
      // A pulled runner is indexed for lookup as it is written.
      writeRunners(db, plan.table.table, insertStatement(db, plan, pending), values);
      values.length = 0;
      pending = 0;
    };
    rows.forEach((row, r) => {
      if (keys && kept.has(keys[r]!)) {
        keptRows += 1;
        return;
      }
      if (withPartner) values.push(partnerId);
      for (let i = 0; i < plan.columns.length; i++) {
        const value = row[i];
        values.push(value !== null && plan.numeric[i] ? Number(value) : value);
      }
      if (walkUp && row[walkUp.field] === 'walk_up_details') walkUpDetails.add(row[walkUp.participant]!);
      if (++pending === rowsPerStatement) flush();
    });
    if (pending > 0) flush();
    restorePulledWalkUpDetails(db, walkUpDetails);
    inside?.();
    raiseCursor(db, table.table, Number(rows.at(-1)!.at(-1)));
    return keptRows;
  }, 'immediate');
}

/**
 * Deletes the rows of a batch of tombstones (rows of [row key as JSON, change_seq]) and moves
 * `cursor` past it, in one transaction; a row with an outbox entry stays (as in writePulledBatch).
 * Returns how many rows stayed so.
 */
export function deletePulledRows(db: Db, tableName: string, cursor: string, rows: readonly CopiedRow[], inside?: () => void): number {
  const table = pushableTable(tableName)!;
  const remove = preparedFor(
    db,
    `pull delete ${table.table}`,
    () => `DELETE FROM ${quoted(table.table)} WHERE ${table.key.map((c) => `${quoted(c)} = @${c}`).join(' AND ')}`,
  );
  return writeWithoutOutbox(db, () => {
    const keys = rows.map(([rowKey]) => canonicalKey(db, table, JSON.parse(rowKey!) as Record<string, unknown>));
    const kept = tableHasUnpushed(db, table.table) ? unpushed(db, table.table, keys) : new Set<string>();
    let keptRows = 0;
    for (const key of keys) {
      if (kept.has(key)) keptRows += 1;
      else remove.run(JSON.parse(key) as Record<string, unknown>);
    }
    inside?.();
    raiseCursor(db, cursor, Number(rows.at(-1)!.at(-1)));
    return keptRows;
  }, 'immediate');
}

export function pullCursor(db: Db, table: string): number {
  return (db.prepare(`SELECT change_seq FROM hub_pull_cursors WHERE table_name = ?`).pluck().get(table) as number | undefined) ?? 0;
}

/** Moves a table's cursor up to `changeSeq` (never down). */
export function raiseCursor(db: Db, table: string, changeSeq: number): void {
  db.prepare(
    `INSERT INTO hub_pull_cursors (table_name, change_seq) VALUES (?, ?)
     ON CONFLICT (table_name) DO UPDATE SET change_seq = max(change_seq, excluded.change_seq)`,
  ).run(table, changeSeq);
}

/**
 * Before a pull: cursors count on one hub and partner (`source`); pulled from another, the laptop
 * starts from the beginning. The partner's row is made locally too, since pulled rows name it.
 */
export function startPullFrom(db: Db, source: string, partner: { id: number; name: string }): void {
  db.transaction(() => {
    const known = db.prepare(`SELECT source FROM hub_pull_state`).pluck().get() as string | null;
    if (known !== source) {
      db.prepare(`DELETE FROM hub_pull_cursors`).run();
      db.prepare(`UPDATE hub_pull_state SET source = ?`).run(source);
    }
    db.prepare(`INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (?, ?) ON CONFLICT (timing_partner_id) DO NOTHING`).run(partner.id, partner.name);
  }).immediate();
}

export function recordPullSuccess(db: Db, rows: number): void {
  db.prepare(
    `UPDATE hub_pull_state SET last_pull_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), rows_pulled = rows_pulled + ?, last_error = NULL, last_error_at = NULL`,
  ).run(rows);
}

export function recordPullFailure(db: Db, message: string): void {
  db.prepare(`UPDATE hub_pull_state SET last_error = ?, last_error_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`).run(message);
}

export interface LastPull {
  at: string | null;
  rowsPulled: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

export function lastPull(db: Db): LastPull {
  const state = db.prepare(`SELECT last_pull_at, rows_pulled, last_error, last_error_at FROM hub_pull_state`).get() as {
    last_pull_at: string | null;
    rows_pulled: number;
    last_error: string | null;
    last_error_at: string | null;
  };
  return { at: state.last_pull_at, rowsPulled: state.rows_pulled, lastError: state.last_error, lastErrorAt: state.last_error_at };
}
