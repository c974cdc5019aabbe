import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { migrations } from '../../../src-main/core/store/migrations/index.ts';
import { deferIndexes, deferredIndexNames, restoreDeferredIndex, restoreDeferredIndexesInTurns } from '../../../src-main/core/store/deferred-indexes.ts';

const dirs: string[] = [];
const open: Db[] = [];
function laptopPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-deferred-'));
  dirs.push(dir);
  return join(dir, 'racedesk.sqlite');
}
function openLaptop(path: string, options?: Parameters<typeof openDatabase>[1]): Db {
  const db = openDatabase(path, options);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const indexesOf = (db: Db, table: string) =>
  db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name`).all(table) as Array<{ name: string; sql: string | null }>;

const bibPlan = (db: Db) =>
  (db.prepare(`EXPLAIN QUERY PLAN SELECT provider, source_rowid FROM participant_search WHERE bib = ?`).all('12') as Array<{ detail: string }>).map((r) => r.detail).join('; ');

describe('deferred indexes', () => {
  it('drop a table’s plain indexes, keeping their definitions, and build them again as they were', async () => {
    const db = openLaptop(laptopPath());
    const before = indexesOf(db, 'participant_search');
    expect(before.filter((i) => i.sql !== null).length).toBeGreaterThan(3);
    expect(bibPlan(db)).toMatch(/USING COVERING INDEX idx_participant_search_bib/);

    const deferred = deferIndexes(db, ['participant_search']);
    expect(deferred).toEqual(before.filter((i) => i.sql !== null).map((i) => i.name));
    // The primary key stays: the writer's upserts find their rows through it.
    expect(indexesOf(db, 'participant_search')).toEqual(before.filter((i) => i.sql === null));
    expect(deferredIndexNames(db)).toEqual(deferred);
    expect(bibPlan(db)).toMatch(/SCAN participant_search/);

    await restoreDeferredIndexesInTurns(db);
    expect(indexesOf(db, 'participant_search')).toEqual(before);
    expect(deferredIndexNames(db)).toEqual([]);
    expect(bibPlan(db)).toMatch(/USING COVERING INDEX idx_participant_search_bib/);
  });

  it('never defer a unique index: a row written meanwhile could break it', () => {
    const db = openLaptop(laptopPath());
    db.exec(`CREATE TABLE t (a INTEGER, b INTEGER); CREATE UNIQUE INDEX t_a ON t(a); CREATE INDEX t_b ON t(b);`);
    expect(deferIndexes(db, ['t'])).toEqual(['t_b']);
    expect(indexesOf(db, 't').map((i) => i.name)).toEqual(['t_a']);
  });

  it('are built by the next opening of the database when the load that deferred them was killed, before its migrations run', () => {
    const path = laptopPath();
    const first = openLaptop(path);
    const before = indexesOf(first, 'participant_search');
    deferIndexes(first, ['participant_search']);
    // No restore: the process is gone.
    first.close();

    // A later release's migration that remakes one of them finds it where the schema says it is.
    const remakesBibIndex = {
      version: migrations.at(-1)!.version + 1,
      name: 'remakes-bib-index',
      up: `DROP INDEX idx_participant_search_bib; CREATE INDEX idx_participant_search_bib ON participant_search(bib, event_id, source_rowid, provider);`,
    };
    const again = openLaptop(path, { migrations: [...migrations, remakesBibIndex] });
    expect(deferredIndexNames(again)).toEqual([]);
    const after = indexesOf(again, 'participant_search');
    expect(after.map((i) => i.name)).toEqual(before.map((i) => i.name));
    expect(after.find((i) => i.name === 'idx_participant_search_bib')!.sql).toContain('source_rowid, provider');
  });

  it('forget an index another process built already', () => {
    const path = laptopPath();
    const one = openLaptop(path);
    deferIndexes(one, ['participant_search']);
    const recorded = deferredIndexNames(one);
    // A second process opening the database builds them all …
    const two = openLaptop(path);
    expect(deferredIndexNames(two)).toEqual([]);
    // … and the first, finishing its load, finds nothing left to build.
    for (const name of recorded) restoreDeferredIndex(one, name);
    expect(deferredIndexNames(one)).toEqual([]);
    expect(indexesOf(one, 'participant_search').filter((i) => i.sql !== null).map((i) => i.name)).toEqual(recorded);
  });
});
