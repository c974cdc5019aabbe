import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { deleteRows, upsertRows } from '../../../src-main/core/store/upsert.ts';
import {
  batchEntries,
  batchDeletes,
  batchUpserts,
  completeBatch,
  pendingChangeCount,
  takeBatch,
  takeBatchInSteps,
  lastPush,
} from '../../../src-main/core/hub/outbox.ts';
import { migrations } from '../../../src-main/core/store/migrations/index.ts';
import { installOutboxTriggers, writeWithoutOutbox } from '../../../src-main/core/store/outbox-triggers.ts';
import { pushableTables } from '../../../src-main/core/store/pushable-tables.ts';
import { finishHistory, startHistory } from '../../../src-main/core/sync/history.ts';

let dir: string;
let db: Db;

function open(): Db {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-outbox-'));
  return (db = openDatabase(join(dir, 'racedesk.sqlite')));
}

afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = { event_id: 101, race_id: 7, name: 'Harbor 10K' };
const runner = (registration_id: number, bib: string) => ({ registration_id, event_id: 101, race_id: 7, first_name: 'Ada', bib_num: bib });

function entries(db: Db) {
  return db.prepare(`SELECT table_name, row_key, op, batch_id FROM hub_outbox ORDER BY seq`).all();
}

describe('the local outbox', () => {
  it('records provider upserts in the same transaction, one entry per row however often it changes', () => {
    const db = open();
    db.transaction(() => {
      upsertRows(db, 'runsignup_events', ['event_id'], [event]);
      upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(1, '10'), runner(2, '11')]);
      upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(1, '12')]);
    })();
    expect(entries(db)).toEqual([
      { table_name: 'runsignup_events', row_key: '{"event_id":101}', op: 'upsert', batch_id: null },
      { table_name: 'runsignup_participants', row_key: '{"registration_id":1}', op: 'upsert', batch_id: null },
      { table_name: 'runsignup_participants', row_key: '{"registration_id":2}', op: 'upsert', batch_id: null },
    ]);
    expect(pendingChangeCount(db)).toBe(3);
  });

  it('loses the outbox entry together with a rolled-back change', () => {
    const db = open();
    expect(() =>
      db.transaction(() => {
        upsertRows(db, 'runsignup_events', ['event_id'], [event]);
        throw new Error('page failed');
      })(),
    ).toThrow('page failed');
    expect(pendingChangeCount(db)).toBe(0);
  });

  it('treats "101" and 101 as the same key of an INTEGER column', () => {
    const db = open();
    upsertRows(db, 'runsignup_events', ['event_id'], [event]);
    upsertRows(db, 'runsignup_events', ['event_id'], [{ ...event, event_id: '101', name: 'Harbor 10K (new course)' }]);
    expect(entries(db)).toEqual([{ table_name: 'runsignup_events', row_key: '{"event_id":101}', op: 'upsert', batch_id: null }]);
  });

  it('queues every writer\'s change, raw SQL included, and a changed key as a delete of the old one', () => {
    const db = open();
    db.prepare(`INSERT INTO ct_events (event_id, event_name) VALUES ('CT-1', 'Trail 50K')`).run();
    completeBatch(db, takeBatch(db, 100)!.batchId);
    db.prepare(`UPDATE ct_events SET event_id = 'CT-2' WHERE event_id = 'CT-1'`).run();
    expect(entries(db).sort((a: any, b: any) => a.row_key.localeCompare(b.row_key))).toEqual([
      { table_name: 'ct_events', row_key: '{"event_id":"CT-1"}', op: 'delete', batch_id: null },
      { table_name: 'ct_events', row_key: '{"event_id":"CT-2"}', op: 'upsert', batch_id: null },
    ]);
  });

  it('records deletes, including the rows a local ON DELETE CASCADE removes with them', () => {
    const db = open();
    upsertRows(db, 'runsignup_events', ['event_id'], [event]);
    upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(1, '10'), runner(2, '11')]);
    completeBatch(db, takeBatch(db, 100)!.batchId);
    deleteRows(db, 'runsignup_events', [{ event_id: 101 }]);
    // In any order: the push sends them by table, children's deletes before their parents'.
    expect(entries(db).sort((a: any, b: any) => a.row_key.localeCompare(b.row_key))).toEqual([
      { table_name: 'runsignup_events', row_key: '{"event_id":101}', op: 'delete', batch_id: null },
      { table_name: 'runsignup_participants', row_key: '{"registration_id":1}', op: 'delete', batch_id: null },
      { table_name: 'runsignup_participants', row_key: '{"registration_id":2}', op: 'delete', batch_id: null },
    ]);
  });

  it('leaves the outbox alone for tables the hub does not hold', () => {
    const db = open();
    db.prepare(`INSERT INTO sync_cursors (provider_name, account_label, sync_type, event_id, cursor) VALUES ('runsignup', 'main', 'participants', '101', 'x')`).run();
    expect(pendingChangeCount(db)).toBe(0);
  });

  it('writes rows without queueing them inside writeWithoutOutbox, and only there', () => {
    const db = open();
    const other = openDatabase(db.name);
    try {
      writeWithoutOutbox(db, () => {
        upsertRows(db, 'runsignup_events', ['event_id'], [event]);
        // Another connection never sees the switch set: it is cleared before the transaction ends.
        expect(other.prepare(`SELECT paused FROM hub_outbox_control`).pluck().get()).toBe(0);
      });
      expect(pendingChangeCount(db)).toBe(0);
      expect(db.prepare(`SELECT count(*) FROM runsignup_events`).pluck().get()).toBe(1);
      // Nested in a writer's transaction: what follows it is queued again.
      db.transaction(() => {
        writeWithoutOutbox(db, () => upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(1, '10')]));
        upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(2, '11')]);
      })();
      expect(entries(db)).toEqual([{ table_name: 'runsignup_participants', row_key: '{"registration_id":2}', op: 'upsert', batch_id: null }]);
      // A write that fails rolls back, the switch with it.
      expect(() =>
        writeWithoutOutbox(db, () => {
          upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(3, '12')]);
          throw new Error('pull failed');
        }),
      ).toThrow('pull failed');
      upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(4, '13')]);
      expect(entries(db).map((e: any) => e.row_key)).toEqual(['{"registration_id":2}', '{"registration_id":4}']);
    } finally {
      other.close();
    }
  });

  it('keeps the triggers in step with the pushable-table list on every open', () => {
    dir = mkdtempSync(join(tmpdir(), 'racedesk-outbox-'));
    const path = join(dir, 'racedesk.sqlite');
    const first = openDatabase(path);
    installOutboxTriggers(first, pushableTables.filter((t) => t.table !== 'runsignup_events'));
    upsertRows(first, 'runsignup_events', ['event_id'], [event]);
    expect(pendingChangeCount(first)).toBe(0);
    first.exec(`DROP TRIGGER ct_events_outbox_insert`);
    first.close();
    db = openDatabase(path);
    upsertRows(db, 'runsignup_events', ['event_id'], [{ ...event, event_id: 102 }]);
    db.prepare(`INSERT INTO ct_events (event_id, event_name) VALUES ('CT-1', 'Trail 50K')`).run();
    expect(entries(db).map((e: any) => e.row_key)).toEqual(['{"event_id":102}', '{"event_id":"CT-1"}']);
  });

  it('queues sync_history rows when a run starts and when it finishes', () => {
    const db = open();
    const id = startHistory(db, { partnerId: null, provider: 'runsignup', syncType: 'events', account: 'main', eventId: null });
    finishHistory(db, id, { status: 'success', records: 3 });
    expect(entries(db)).toEqual([{ table_name: 'sync_history', row_key: `{"id":${id}}`, op: 'upsert', batch_id: null }]);
  });

  it('sends a batch again unchanged until it is confirmed, parents first, and keeps changes made meanwhile', () => {
    const db = open();
    upsertRows(db, 'runsignup_events', ['event_id'], [event]);
    upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(1, '10')]);
    // The event changes after its participant: it still goes first.
    upsertRows(db, 'runsignup_events', ['event_id'], [{ ...event, name: 'Harbor 10K (new course)' }]);
    const first = takeBatch(db, 1)!;
    expect(first.tables).toEqual([{ table: 'runsignup_events', upserts: 1, deletes: 0 }]);
    const firstEntries = batchEntries(db, first.batchId);
    expect(firstEntries[0].row).toMatchObject({ name: 'Harbor 10K (new course)' });
    // A change made while the batch is in flight neither alters the batch nor gets lost.
    upsertRows(db, 'runsignup_events', ['event_id'], [{ ...event, name: 'Harbor 10K (final)' }]);
    const again = takeBatch(db, 1)!;
    expect(again).toEqual(first);
    expect(batchEntries(db, again.batchId)).toEqual(firstEntries);
    completeBatch(db, first.batchId);
    expect(pendingChangeCount(db)).toBe(2);
    const second = takeBatch(db, 10)!;
    expect(batchEntries(db, second.batchId).map((e) => [e.table, e.row?.name ?? e.row?.registration_id])).toEqual([
      ['runsignup_events', 'Harbor 10K (final)'],
      ['runsignup_participants', 1],
    ]);
    completeBatch(db, second.batchId);
    expect(pendingChangeCount(db)).toBe(0);
    expect(lastPush(db)).toMatchObject({ rowsPushed: 3, lastError: null });
    expect(lastPush(db).at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('hands out unconfirmed batches in the order they were taken, then new ones', () => {
    const db = open();
    upsertRows(db, 'runsignup_events', ['event_id'], [101, 102, 103].map((event_id) => ({ ...event, event_id })));
    const first = takeBatch(db, 1)!;
    // The push takes the next batch while the hub works on the first: both are in flight.
    const second = takeBatch(db, 1, first.batchId)!;
    expect(second.batchId).not.toBe(first.batchId);
    // A push starting over (the app died) finds them in that order, whatever their ids.
    expect(takeBatch(db, 1)).toEqual(first);
    expect(takeBatch(db, 1, first.batchId)).toEqual(second);
    completeBatch(db, first.batchId);
    expect(takeBatch(db, 1)).toEqual(second);
    const third = takeBatch(db, 1, second.batchId)!;
    expect([second, third].flatMap((b) => batchEntries(db, b.batchId).map((e) => e.key.event_id))).toEqual([102, 103]);
    expect(takeBatch(db, 1, third.batchId)).toBeNull();
  });

  describe('a batch taken in steps', () => {
    const runners = (ids: number[], bib = 'b') => ids.map((id) => runner(id, `${bib}${id}`));
    const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    /** Runs `onTick` on every turn of the event loop while the batch is taken. */
    async function takeWatching(db: Db, onTick: (tick: number) => void): Promise<Awaited<ReturnType<typeof takeBatchInSteps>>> {
      let done = false;
      let tick = 0;
      const watch = () => {
        if (done) return;
        onTick(tick++);
        setImmediate(watch);
      };
      watch();
      try {
        return await takeBatchInSteps(db, 100, null, 10);
      } finally {
        done = true;
      }
    }
    const batched = (db: Db) => db.prepare(`SELECT count(*) FROM hub_outbox WHERE batch_id IS NOT NULL`).pluck().get() as number;

    it('lets the event loop run between steps and ends as one complete batch, parents first', async () => {
      const db = open();
      upsertRows(db, 'runsignup_events', ['event_id'], [event]);
      upsertRows(db, 'runsignup_participants', ['registration_id'], runners(ids(1, 25)));
      const seen = new Set<number>();
      const batch = (await takeWatching(db, () => seen.add(batched(db))))!;
      expect([...seen].sort((a, b) => a - b)).toEqual([0, 10, 20]);
      expect(batch).toMatchObject({ size: 26, tables: [{ table: 'runsignup_events', upserts: 1, deletes: 0 }, { table: 'runsignup_participants', upserts: 25, deletes: 0 }] });
      expect(db.prepare(`SELECT batch_id, complete FROM hub_outbox_batches`).all()).toEqual([{ batch_id: batch.batchId, complete: 1 }]);
      expect(takeBatch(db, 100)).toEqual(batch);
    });

    it('leaves a row changed between steps for the next batch, and takes a parent recorded between steps before its children', async () => {
      const db = open();
      upsertRows(db, 'runsignup_events', ['event_id'], [event]);
      upsertRows(db, 'runsignup_participants', ['registration_id'], runners(ids(1, 25)));
      const batch = (await takeWatching(db, (tick) => {
        if (tick !== 1) return;
        // Runner 10 went with the first step (keys go in text order); a new event and its runner come after it.
        upsertRows(db, 'runsignup_participants', ['registration_id'], runners([10], 'changed'));
        upsertRows(db, 'runsignup_events', ['event_id'], [{ ...event, event_id: 102 }]);
        upsertRows(db, 'runsignup_participants', ['registration_id'], [{ ...runner(30, 'b30'), event_id: 102 }]);
      }))!;
      const entries = batchEntries(db, batch.batchId);
      expect(entries.filter((e) => e.key.registration_id === 10).map((e) => e.row?.bib_num)).toEqual(['b10']);
      expect(entries.filter((e) => e.table === 'runsignup_events').map((e) => e.key.event_id).sort()).toEqual([101, 102]);
      expect(entries.some((e) => e.key.registration_id === 30)).toBe(true);
      expect(batch.size).toBe(28);
      completeBatch(db, batch.batchId);
      const next = takeBatch(db, 100)!;
      expect(batchEntries(db, next.batchId).map((e) => [e.key.registration_id, e.row?.bib_num])).toEqual([[10, 'changed10']]);
    });

    it('stops growing once another push starts sending the batch, which then goes as it was', async () => {
      const db = open();
      upsertRows(db, 'runsignup_events', ['event_id'], [event]);
      completeBatch(db, takeBatch(db, 1)!.batchId);
      upsertRows(db, 'runsignup_participants', ['registration_id'], runners(ids(1, 25)));
      let sentByOther: ReturnType<typeof takeBatch> = null;
      const batch = (await takeWatching(db, (tick) => {
        if (tick === 1) sentByOther = takeBatch(db, 100);
      }))!;
      expect(sentByOther).toMatchObject({ size: 10 });
      expect(batch).toEqual(sentByOther);
      expect(takeBatch(db, 100)).toEqual(batch);
      expect(takeBatch(db, 100, batch.batchId)).toMatchObject({ size: 15 });
    });
  });

  it('keeps a batch that was in flight when the batch-order migration ran first in line', () => {
    dir = mkdtempSync(join(tmpdir(), 'racedesk-outbox-'));
    const path = join(dir, 'racedesk.sqlite');
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 41) });
    // Version 40 wrote the outbox entries in the writer's code: as it did.
    before.exec(`INSERT INTO runsignup_events (event_id, race_id, name) VALUES (101, 7, 'Harbor 10K'), (102, 7, 'Harbor 10K');
      INSERT INTO hub_outbox (table_name, row_key, op) VALUES ('runsignup_events', '{"event_id":101}', 'upsert'), ('runsignup_events', '{"event_id":102}', 'upsert');`);
    before.prepare(`UPDATE hub_outbox SET batch_id = 'b6d5a1f4-0c0e-4a53-9a0e-1d1f3f6c2a11', row_data = '{"event_id":101}' WHERE row_key = '{"event_id":101}'`).run();
    before.close();
    db = openDatabase(path);
    const resent = takeBatch(db, 10)!;
    expect(resent).toEqual({ batchId: 'b6d5a1f4-0c0e-4a53-9a0e-1d1f3f6c2a11', size: 1, tables: [{ table: 'runsignup_events', upserts: 1, deletes: 0 }] });
    const next = takeBatch(db, 10, resent.batchId)!;
    expect(batchEntries(db, next.batchId).map((e) => e.key)).toEqual([{ event_id: 102 }]);
  });

  it('takes batches of exactly the size asked, parents first across tables, each table as CSV lines', () => {
    const db = open();
    const events = [101, 102, 103].map((event_id) => ({ event_id, race_id: 7, name: `Race ${event_id}` }));
    upsertRows(db, 'runsignup_events', ['event_id'], events);
    upsertRows(db, 'runsignup_participants', ['registration_id'], [1, 2, 3, 4, 5].map((id) => ({ ...runner(id, String(id)), event_id: 101 + (id % 3) })));

    const first = takeBatch(db, 4)!;
    expect(first).toMatchObject({ size: 4, tables: [{ table: 'runsignup_events', upserts: 3, deletes: 0 }, { table: 'runsignup_participants', upserts: 1, deletes: 0 }] });
    const eventRows = batchUpserts(db, first.batchId, 'runsignup_events');
    // Every pushed column, in the table's order; a NULL is an empty field, text is quoted.
    expect(eventRows.columns).toEqual(['event_id', 'race_id', 'name', 'details', 'start_time', 'end_time', 'age_calc_base_date', 'registration_opens', 'event_type', 'distance', 'volunteer', 'require_dob', 'require_phone', 'giveaway', 'fetched_date', 'credentials_used', 'created_at', 'race_name', 'distance_unit']);
    const eventLines = eventRows.csv.toString('utf8').split('\n');
    expect(eventLines.pop()).toBe('');
    expect(eventLines.sort()).toEqual([101, 102, 103].map((id) => expect.stringMatching(new RegExp(`^${id},7,"Race ${id}",,,,,,,,,,,,"[^"]+",,"[^"]+",,$`))));
    expect(batchEntries(db, first.batchId)[0]).toMatchObject({ table: 'runsignup_events', row: { event_id: 101, race_id: 7, name: 'Race 101' } });
    expect(batchUpserts(db, first.batchId, 'runsignup_participants').csv.toString('utf8').split('\n')).toHaveLength(2);
    expect(batchDeletes(db, first.batchId, 'runsignup_participants').toString('utf8')).toBe('[]');
    const firstRunners = batchEntries(db, first.batchId).flatMap((e) => (e.table === 'runsignup_participants' ? [e.key.registration_id] : []));
    expect(completeBatch(db, first.batchId)).toBe(4);

    const second = takeBatch(db, 4)!;
    expect(second).toMatchObject({ size: 4, tables: [{ table: 'runsignup_participants', upserts: 4, deletes: 0 }] });
    const secondRunners = batchEntries(db, second.batchId).map((e) => e.key.registration_id);
    expect([...firstRunners, ...secondRunners].sort()).toEqual([1, 2, 3, 4, 5]);
    completeBatch(db, second.batchId);
    expect(takeBatch(db, 4)).toBeNull();

    // A delete travels as the row's key; the row's upsert and delete never share a batch.
    deleteRows(db, 'runsignup_participants', [{ registration_id: 2 }]);
    upsertRows(db, 'runsignup_participants', ['registration_id'], [runner(9, '9')]);
    const third = takeBatch(db, 10)!;
    expect(third.tables).toEqual([{ table: 'runsignup_participants', upserts: 1, deletes: 1 }]);
    expect(JSON.parse(batchDeletes(db, third.batchId, 'runsignup_participants').toString('utf8'))).toEqual([{ registration_id: 2 }]);
    expect(batchEntries(db, third.batchId).map((e) => e.row)).toEqual([null, expect.objectContaining({ registration_id: 9, bib_num: '9' })]);
    expect(() => takeBatch(db, 0)).toThrow(/at least one row/);
  });

  it('queues the rows a store already held when the outbox migration runs', () => {
    dir = mkdtempSync(join(tmpdir(), 'racedesk-outbox-'));
    const before = openDatabase(join(dir, 'racedesk.sqlite'), { migrations: migrations.filter((m) => m.version < 40) });
    before.prepare(`INSERT INTO runsignup_events (event_id, race_id, name) VALUES (101, 7, 'Harbor 10K')`).run();
    before.close();
    db = openDatabase(join(dir, 'racedesk.sqlite'));
    expect(entries(db)).toEqual([{ table_name: 'runsignup_events', row_key: '{"event_id":101}', op: 'upsert', batch_id: null }]);
  });
});
