import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/core/store/database.ts';
import { deleteRows } from '../../src-main/core/store/upsert.ts';
import { fillStore } from './synthetic.ts';
import { timeMs } from './stats.ts';

export interface DeleteFigures {
  removed: number;
  storeMs: number;
  plainMs: number;
}

/*
 * A page of removed registrations through the store (deleteRows, the outbox triggers queueing
 * each for the hub) against plain DELETEs of the same rows on an identical store without the
 * outbox triggers. Both keep the search index in step, so the difference is the outbox's cost.
 */
export function benchDelete(removed: number): DeleteFigures {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-delete-'));
  try {
    // fillStore writes 60% RunSignUp registrations, numbered from 60,000,000.
    const layout = { participants: Math.ceil((removed * 2) / 0.6), runsignupEvents: 4, chronotrackEvents: 2 };
    const keys = Array.from({ length: removed }, (_, i) => ({ registration_id: 60000000 + i * 2 }));
    const filled = (name: string): Db => {
      const db = openDatabase(join(dir, name, 'racedesk.sqlite'));
      fillStore(db, layout);
      return db;
    };

    const store = filled('store');
    const storeMs = timeMs(() => store.transaction(() => deleteRows(store, 'runsignup_participants', keys))());
    if ((store.prepare(`SELECT count(*) FROM hub_outbox WHERE op = 'delete'`).pluck().get() as number) !== removed) throw new Error('the outbox missed deletes');
    store.close();

    const plain = filled('plain');
    const outboxTriggers = plain.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%outbox%'`).pluck().all() as string[];
    for (const name of outboxTriggers) plain.exec(`DROP TRIGGER ${name}`);
    const remove = plain.prepare(`DELETE FROM runsignup_participants WHERE registration_id = ?`);
    const plainMs = timeMs(() => plain.transaction(() => keys.forEach((key) => remove.run(key.registration_id)))());
    plain.close();
    return { removed, storeMs, plainMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
