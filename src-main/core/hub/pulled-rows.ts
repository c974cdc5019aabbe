import type Database from 'better-sqlite3';
import type { Db } from '../store/database.ts';
import { preparedFor } from '../store/statements.ts';
import { canonicalKey, localColumnTypes } from './outbox.ts';
import { pushableTable, type PushableTable } from '../store/pushable-tables.ts';
import { writeWithoutOutbox } from '../store/outbox-triggers.ts';
import { restorePulledWalkUpDetails } from '../pickup/walk-ups.ts';
import { searchReturning, writeRunner } from '../store/search-index.ts';

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
  /** Local columns, in the order the hub's SELECT gives them (change_seq follows them). */
  columns: string[];
  /** Per column: whether the laptop stores it as a number (the hub sends bigint and numeric as text). */
  numeric: boolean[];
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Whether the row keyed @racedesk_table, @racedesk_key has an outbox entry, waiting or in a batch
 * in flight. Two probes, each through its own index (hub_outbox_waiting, hub_outbox_batch): one
 * condition on (table_name, row_key) alone would read the whole outbox for every pulled row.
 */
const inOutbox = `(EXISTS (SELECT 1 FROM hub_outbox WHERE batch_id IS NULL AND table_name = @racedesk_table AND row_key = @racedesk_key)
  OR EXISTS (SELECT 1 FROM hub_outbox WHERE batch_id IS NOT NULL AND table_name = @racedesk_table AND row_key = @racedesk_key))`;

function writeStatement(db: Db, plan: PulledTable): Database.Statement {
  return preparedFor(db, `pull write ${plan.table.table} ${plan.columns.join(', ')}`, () => {
    const hasPartner = localColumnTypes(db, plan.table.table).has('timing_partner_id');
    const columns = [...(hasPartner ? ['timing_partner_id'] : []), ...plan.columns];
    const updates = columns.filter((c) => !plan.table.key.includes(c)).map((c) => `${quoted(c)} = excluded.${quoted(c)}`);
    return `INSERT INTO ${quoted(plan.table.table)} (${columns.map(quoted).join(', ')})
      SELECT ${columns.map((c) => `@${c}`).join(', ')}
      WHERE NOT ${inOutbox}
      ON CONFLICT (${plan.table.key.map(quoted).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}
      ${searchReturning(plan.table.table) ?? ''}`;
  });
}

/**
 * Writes one batch (rows as the hub's SELECT gives them, change_seq last) and moves the table's
 * cursor to its last row, in one transaction. Returns how many rows kept the laptop's unpushed
 * version instead. `inside` runs within the transaction (the crash tests' hook).
 */
export function writePulledBatch(db: Db, plan: PulledTable, rows: readonly unknown[][], partnerId: number, inside?: () => void): number {
  const table = pushableTable(plan.table.table)!;
  const write = writeStatement(db, plan);
  return writeWithoutOutbox(db, () => {
    let kept = 0;
    const walkUpDetails = new Set<string>();
    const values: Record<string, unknown> = { timing_partner_id: partnerId, racedesk_table: table.table };
    for (const row of rows) {
      plan.columns.forEach((column, i) => {
        const value = row[i];
        values[column] = value !== null && plan.numeric[i] && typeof value === 'string' ? Number(value) : value;
      });
      const key = canonicalKey(db, table, values);
      values.racedesk_key = key;
      // A pulled runner is indexed for lookup as it is written.
      if (!writeRunner(db, table.table, write, values)) {
        kept += 1;
        continue;
      }
      if (table.table === 'participant_changes' && values.field === 'walk_up_details') walkUpDetails.add(String(values.participant_id));
    }
    restorePulledWalkUpDetails(db, walkUpDetails);
    inside?.();
    raiseCursor(db, table.table, Number(rows.at(-1)!.at(-1)));
    return kept;
  }, 'immediate');
}

/**
 * Deletes the rows of a batch of tombstones (rows of [row key as JSON, change_seq]) and moves
 * `cursor` past it, in one transaction; a row with an outbox entry stays (as in writePulledBatch).
 * Returns how many rows stayed so.
 */
export function deletePulledRows(db: Db, tableName: string, cursor: string, rows: readonly unknown[][], inside?: () => void): number {
  const table = pushableTable(tableName)!;
  const remove = preparedFor(
    db,
    `pull delete ${table.table}`,
    () => `DELETE FROM ${quoted(table.table)} WHERE ${table.key.map((c) => `${quoted(c)} = @${c}`).join(' AND ')}
      AND NOT ${inOutbox}`,
  );
  const marked = db.prepare(`SELECT ${inOutbox}`).pluck();
  return writeWithoutOutbox(db, () => {
    let kept = 0;
    for (const [rowKey] of rows) {
      const key = canonicalKey(db, table, JSON.parse(rowKey as string) as Record<string, unknown>);
      const keyed = { racedesk_table: table.table, racedesk_key: key };
      if (remove.run({ ...(JSON.parse(key) as Record<string, unknown>), ...keyed }).changes === 0 && marked.get(keyed) === 1) kept += 1;
    }
    inside?.();
    raiseCursor(db, cursor, Number(rows.at(-1)!.at(-1)));
    return kept;
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
