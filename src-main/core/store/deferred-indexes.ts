import type { Db } from './database.ts';
import { letEventLoopRun } from '../event-loop.ts';

/*
 * Bulk loads without per-row index upkeep. Each row written costs a random b-tree insert in every
 * index of its table; a load that brings more rows than a table holds is cheaper written first and
 * indexed once at its end, CREATE INDEX sorting the keys (a fresh laptop's pull of 200,000 runners:
 * the lookup index's six indexes were 60% of its time, docs/performance-pull.md).
 *
 * An index is dropped and its definition kept in deferred_indexes (migration 0220) in one
 * transaction, so whatever stops the load, every index is on its table or recorded; the load
 * rebuilds what is recorded at its end, and so does every opening of the database, before its
 * migrations (which may change those indexes), for a load that was killed. Meanwhile readers keep
 * working, by scanning. Unique indexes are never deferred: a row written meanwhile could break one.
 */

/** Drops the plain (non-unique) indexes of `tables` and records them; returns their names. */
export function deferIndexes(db: Db, tables: readonly string[]): string[] {
  return db
    .transaction(() => {
      const indexes = db
        .prepare(
          `SELECT name, sql FROM sqlite_master
           WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (SELECT value FROM json_each(?))
           ORDER BY name`,
        )
        .all(JSON.stringify(tables)) as Array<{ name: string; sql: string }>;
      const record = db.prepare(`INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)`);
      for (const { name, sql } of indexes) {
        record.run(name, sql);
        db.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
      }
      return indexes.map((index) => index.name);
    })
    .immediate();
}

/** The indexes recorded as deferred (none on a database made before migration 0220). */
export function deferredIndexNames(db: Db): string[] {
  const recorded = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deferred_indexes'`).get();
  return recorded ? (db.prepare(`SELECT name FROM deferred_indexes ORDER BY name`).pluck().all() as string[]) : [];
}

/**
 * Builds one recorded index and forgets its record, in one transaction. Another process may have
 * built it already (both rebuild what they find recorded): then there is nothing left to do.
 */
export function restoreDeferredIndex(db: Db, name: string): void {
  db.transaction(() => {
    const sql = db.prepare(`SELECT sql FROM deferred_indexes WHERE name = ?`).pluck().get(name) as string | undefined;
    if (sql === undefined) return;
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(name);
    if (!exists) db.exec(sql);
    db.prepare(`DELETE FROM deferred_indexes WHERE name = ?`).run(name);
  }).immediate();
}

/** Builds every recorded index (opening the database). */
export function restoreDeferredIndexes(db: Db): void {
  for (const name of deferredIndexNames(db)) restoreDeferredIndex(db, name);
}

/** As restoreDeferredIndexes, one index per turn of the event loop (the end of a load in the core). */
export async function restoreDeferredIndexesInTurns(db: Db): Promise<void> {
  for (const name of deferredIndexNames(db)) {
    await letEventLoopRun();
    restoreDeferredIndex(db, name);
  }
}
