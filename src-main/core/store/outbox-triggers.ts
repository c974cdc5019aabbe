import type { Db } from './database.ts';
import { pushableTables, type PushableTable } from './pushable-tables.ts';

/*
 * The hub outbox (hub/outbox.ts) learns of every change to a pushable table through triggers on
 * that table, in the writer's own transaction: a change and its outbox entry commit or vanish
 * together, whoever writes (the sync, packet pickup, results, a migration), and SQLite fires the
 * AFTER DELETE trigger of every row an ON DELETE CASCADE removes, so a removed event takes its
 * runners' entries along at no extra cost.
 *
 * Keys are json_object(...) of the key columns in declared order: a STRICT table hands the
 * trigger each value in its column's storage type, the same text hub/outbox.ts canonicalKey makes.
 * While an entry waits, later changes to its row coalesce into it (the partial unique index
 * hub_outbox_waiting); entries of a batch in flight are never touched.
 *
 * The triggers are a repeatable definition, not a migration: after every migration run they are
 * compared with this list and recreated where they differ, so a table added to the list gets its
 * triggers on existing databases too.
 */
const triggerSuffixes = ['outbox_insert', 'outbox_update', 'outbox_rekey', 'outbox_delete'] as const;

const notPaused = `NOT (SELECT paused FROM hub_outbox_control)`;

function keyJson(table: PushableTable, row: 'NEW' | 'OLD'): string {
  return `json_object(${table.key.map((column) => `'${column}', ${row}.${column}`).join(', ')})`;
}

function record(table: PushableTable, row: 'NEW' | 'OLD', op: 'upsert' | 'delete'): string {
  return `INSERT INTO hub_outbox (table_name, row_key, op) VALUES ('${table.table}', ${keyJson(table, row)}, '${op}')
    ON CONFLICT (table_name, row_key) WHERE batch_id IS NULL DO UPDATE SET op = excluded.op, recorded_at = excluded.recorded_at;`;
}

/** The CREATE TRIGGER statements of one table, by trigger name, exactly as sqlite_schema keeps them. */
export function outboxTriggerSql(table: PushableTable): Map<string, string> {
  const t = table.table;
  const keyChanged = table.key.map((column) => `OLD.${column} IS NOT NEW.${column}`).join(' OR ');
  return new Map([
    [`${t}_outbox_insert`, `CREATE TRIGGER ${t}_outbox_insert AFTER INSERT ON ${t} WHEN ${notPaused} BEGIN\n  ${record(table, 'NEW', 'upsert')}\nEND`],
    [`${t}_outbox_update`, `CREATE TRIGGER ${t}_outbox_update AFTER UPDATE ON ${t} WHEN ${notPaused} BEGIN\n  ${record(table, 'NEW', 'upsert')}\nEND`],
    // A row whose key changed is gone from the hub's point of view under its old key.
    [`${t}_outbox_rekey`, `CREATE TRIGGER ${t}_outbox_rekey AFTER UPDATE ON ${t} WHEN (${keyChanged}) AND ${notPaused} BEGIN\n  ${record(table, 'OLD', 'delete')}\nEND`],
    [`${t}_outbox_delete`, `CREATE TRIGGER ${t}_outbox_delete AFTER DELETE ON ${t} WHEN ${notPaused} BEGIN\n  ${record(table, 'OLD', 'delete')}\nEND`],
  ]);
}

const hasTable = (db: Db, name: string) => db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(name) !== undefined;

/**
 * Brings the outbox triggers in line with the pushable-table list: creates missing ones, recreates
 * changed ones, drops those of tables no longer listed. Runs inside the migration transaction.
 * A database migrated only part of the way (tests of old versions) has no outbox switch yet and
 * gets no triggers; neither does a listed table that a later migration creates.
 */
export function installOutboxTriggers(db: Db, tables: readonly PushableTable[] = pushableTables): void {
  if (!hasTable(db, 'hub_outbox_control')) return;
  const wanted = new Map<string, string>();
  for (const table of tables) {
    if (hasTable(db, table.table)) for (const [name, sql] of outboxTriggerSql(table)) wanted.set(name, sql);
  }
  const existing = (db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'`).all() as Array<{ name: string; sql: string }>).filter(
    ({ name }) => triggerSuffixes.some((suffix) => name.endsWith(`_${suffix}`)),
  );
  for (const { name, sql } of existing) {
    if (wanted.get(name) === sql) wanted.delete(name);
    else db.exec(`DROP TRIGGER ${name}`);
  }
  for (const sql of wanted.values()) db.exec(sql);
}

/**
 * Runs `write` in one transaction whose changes to pushable tables are NOT queued for the hub: for
 * rows that came from the hub (a pull), which sending back would only echo. The switch is set and
 * cleared inside that transaction, so it is never committed and no other connection sees it; a
 * write that throws rolls back with it. Nested inside an outer transaction it becomes a savepoint,
 * and the switch goes back to what it was before the outer transaction goes on. A large write
 * (a pull's batch) should be the outermost transaction ('immediate' where it must not wait behind
 * another writer midway): an open savepoint made each pulled batch of 5,000 rows slower than the
 * one before (docs/performance-pull.md).
 */
export function writeWithoutOutbox<T>(db: Db, write: () => T, mode: 'deferred' | 'immediate' = 'deferred'): T {
  return db.transaction(() => {
    const before = db.prepare(`SELECT paused FROM hub_outbox_control`).pluck().get() as number;
    const pause = db.prepare(`UPDATE hub_outbox_control SET paused = ?`);
    pause.run(1);
    try {
      return write();
    } finally {
      pause.run(before);
    }
  })[mode]();
}
