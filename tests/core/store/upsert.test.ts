import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { completeBatch, takeBatch } from '../../../src-main/core/hub/outbox.ts';

/*
 * A re-sync hands the store rows it mostly holds already. Those must not be rewritten, re-indexed
 * or queued for the hub again; a row that did change must be, each time it changes.
 */
let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-upsert-'));
  db = openDatabase(join(dir, 'racedesk.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = { event_id: 101, race_id: 7, name: 'Harbor 10K', fetched_date: '2026-05-01T08:00:00.000Z' };
const runner = (registration_id: number, fields: Record<string, string | number | null> = {}) => ({
  registration_id,
  event_id: 101,
  race_id: 7,
  first_name: 'Ada',
  last_name: 'Lovelace',
  bib_num: String(registration_id),
  fetched_date: '2026-05-01T08:00:00.000Z',
  ...fields,
});

const write = (rows: ReturnType<typeof runner>[]) => db.transaction(() => upsertRows(db, 'runsignup_participants', ['registration_id'], rows))();

/** What the hub has been sent so far: pushes every waiting entry, as a push does, so the next write starts from an empty outbox. */
function push(): void {
  for (let batch = takeBatch(db, 1000); batch; batch = takeBatch(db, 1000)) completeBatch(db, batch.batchId);
}

const queued = () => db.prepare(`SELECT table_name, row_key, op FROM hub_outbox ORDER BY seq`).all();

/** Counts every write to the search index from here on (a temporary trigger of this connection only). */
function watchSearchIndex(): () => number {
  db.exec(`CREATE TEMP TABLE search_writes (n INTEGER NOT NULL);
    CREATE TEMP TRIGGER search_insert_seen AFTER INSERT ON main.participant_search BEGIN INSERT INTO search_writes VALUES (1); END;
    CREATE TEMP TRIGGER search_update_seen AFTER UPDATE ON main.participant_search BEGIN INSERT INTO search_writes VALUES (1); END;
    CREATE TEMP TRIGGER search_delete_seen AFTER DELETE ON main.participant_search BEGIN INSERT INTO search_writes VALUES (1); END;`);
  return () => db.prepare(`SELECT count(*) FROM search_writes`).pluck().get() as number;
}

describe('upsertRows of rows the store already holds', () => {
  beforeEach(() => {
    db.transaction(() => upsertRows(db, 'runsignup_events', ['event_id'], [event]))();
    expect(write([runner(1), runner(2), runner(3)])).toEqual({ rows: 3, written: 3 });
    push();
  });

  it('writes, re-indexes and queues nothing when nothing changed, even with a later fetch time', () => {
    const searchWrites = watchSearchIndex();
    const later = { fetched_date: '2026-05-02T09:30:00.000Z' };
    expect(write([runner(1, later), runner(2, later), runner(3, later)])).toEqual({ rows: 3, written: 0 });
    expect(queued()).toEqual([]);
    expect(searchWrites()).toBe(0);
    // The fetch time stays the one of the content the store holds.
    expect(db.prepare(`SELECT DISTINCT fetched_date FROM runsignup_participants`).pluck().all()).toEqual(['2026-05-01T08:00:00.000Z']);
  });

  it('queues and re-indexes exactly the row whose one field changed, with its new fetch time', () => {
    const searchWrites = watchSearchIndex();
    const later = '2026-05-02T09:30:00.000Z';
    expect(write([runner(1, { fetched_date: later }), runner(2, { last_name: 'Byron', fetched_date: later }), runner(3, { fetched_date: later })])).toEqual({
      rows: 3,
      written: 1,
    });
    expect(queued()).toEqual([{ table_name: 'runsignup_participants', row_key: '{"registration_id":2}', op: 'upsert' }]);
    expect(searchWrites()).toBeGreaterThan(0);
    expect(db.prepare(`SELECT last_name, fetched_date FROM runsignup_participants WHERE registration_id = 2`).get()).toEqual({ last_name: 'Byron', fetched_date: later });
  });

  it('queues a row changed and changed back, each time', () => {
    expect(write([runner(1, { bib_num: '900' })])).toEqual({ rows: 1, written: 1 });
    expect(queued()).toHaveLength(1);
    push();
    expect(write([runner(1)])).toEqual({ rows: 1, written: 1 });
    expect(queued()).toEqual([{ table_name: 'runsignup_participants', row_key: '{"registration_id":1}', op: 'upsert' }]);
    expect(db.prepare(`SELECT bib_num FROM runsignup_participants WHERE registration_id = 1`).pluck().get()).toBe('1');
  });

  it('counts a value that became NULL, or NULL that became a value, as a change', () => {
    expect(write([runner(1, { bib_num: null })])).toEqual({ rows: 1, written: 1 });
    push();
    expect(write([runner(1, { bib_num: null })])).toEqual({ rows: 1, written: 0 });
    expect(write([runner(1)])).toEqual({ rows: 1, written: 1 });
    expect(queued()).toHaveLength(1);
  });

  it('leaves columns the rows do not carry as they are, and does not count them', () => {
    db.prepare(`UPDATE runsignup_participants SET email = 'ada@example.com' WHERE registration_id = 1`).run();
    push();
    const { email: _email, ...withoutEmail } = { ...runner(1), email: null };
    expect(db.transaction(() => upsertRows(db, 'runsignup_participants', ['registration_id'], [withoutEmail]))()).toEqual({ rows: 1, written: 0 });
    expect(queued()).toEqual([]);
    expect(db.prepare(`SELECT email FROM runsignup_participants WHERE registration_id = 1`).pluck().get()).toBe('ada@example.com');
  });

  it('compares values as the table stores them: an integer column given as text is the same integer', () => {
    expect(write([runner(1, { event_id: '101' })])).toEqual({ rows: 1, written: 0 });
    expect(queued()).toEqual([]);
  });

  it('does not count the target’s own fetch stamps (Copernico’s updated_at), but writes them with a change', () => {
    const copernico = (name: string, stamp: string) => ({ event_id: 'rio:21K', event_name: name, updated_at: stamp, fetched_date: stamp });
    const upsert = (row: ReturnType<typeof copernico>) =>
      db.transaction(() => upsertRows(db, 'copernico_events', ['event_id'], [row], ['updated_at']))();
    upsert(copernico('21K', '2026-05-01T08:00:00.000Z'));
    push();
    expect(upsert(copernico('21K', '2026-05-02T08:00:00.000Z'))).toEqual({ rows: 1, written: 0 });
    expect(queued()).toEqual([]);
    expect(upsert(copernico('Media Maratón', '2026-05-03T08:00:00.000Z'))).toEqual({ rows: 1, written: 1 });
    expect(db.prepare(`SELECT event_name, updated_at FROM copernico_events`).get()).toEqual({ event_name: 'Media Maratón', updated_at: '2026-05-03T08:00:00.000Z' });
    // Without the stamp declared, the fetch time alone would count as a change.
    push();
    expect(db.transaction(() => upsertRows(db, 'copernico_events', ['event_id'], [copernico('Media Maratón', '2026-05-04T08:00:00.000Z')]))()).toEqual({
      rows: 1,
      written: 1,
    });
  });
});
