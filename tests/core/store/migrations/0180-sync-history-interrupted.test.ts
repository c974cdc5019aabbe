import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';

const insertHistory = `INSERT INTO sync_history (id, provider_name, sync_type, status, records_processed, started_at, completed_at, error_message, account_label, event_id)
  VALUES (?, 'runsignup', 'participants', ?, ?, '2026-05-01T08:00:00.000Z', '2026-05-01T08:01:00.000Z', ?, 'Main', '5001')`;

describe('migration 0180 sync-history-interrupted', () => {
  it('keeps every history row and its problems, moves old interrupted rows to the new word, and tells the hub', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 180) });
    const insert = db.prepare(insertHistory);
    insert.run(1, 'success', 120, null);
    insert.run(2, 'failed', 0, 'Interrupted: the app stopped during this run; the job was started again.');
    insert.run(3, 'failed', 0, 'RunSignUp refused the key.');
    insert.run(4, 'partial', 80, '2 records skipped');
    db.prepare(`INSERT INTO sync_problems (history_id, record_id, field, raw_value, problem, skipped) VALUES (4, 'r9', 'dob', '31/02', 'not a date', 0)`).run();
    // As if every row had already gone to the hub.
    db.exec(`DELETE FROM hub_outbox`);

    migrate(db, migrations);

    expect(db.prepare('SELECT id, status, records_processed, error_message FROM sync_history ORDER BY id').all()).toEqual([
      { id: 1, status: 'success', records_processed: 120, error_message: null },
      { id: 2, status: 'interrupted', records_processed: 0, error_message: 'The app stopped during this run; the job was started again.' },
      { id: 3, status: 'failed', records_processed: 0, error_message: 'RunSignUp refused the key.' },
      { id: 4, status: 'partial', records_processed: 80, error_message: '2 records skipped' },
    ]);
    expect(db.prepare('SELECT history_id, record_id, problem FROM sync_problems').all()).toEqual([{ history_id: 4, record_id: 'r9', problem: 'not a date' }]);
    expect(db.prepare(`SELECT table_name, row_key, op FROM hub_outbox`).all()).toEqual([{ table_name: 'sync_history', row_key: '{"id":2}', op: 'upsert' }]);

    // The new word is allowed, a made-up one still is not; the outbox triggers are back; problems still cascade.
    insert.run(5, 'interrupted', 0, 'The app stopped during this run; the job was then cancelled.');
    expect(() => insert.run(6, 'lost', 0, null)).toThrow(/CHECK constraint failed/);
    expect(db.prepare(`SELECT row_key FROM hub_outbox WHERE row_key = '{"id":5}'`).get()).toEqual({ row_key: '{"id":5}' });
    db.exec('DELETE FROM sync_history WHERE id = 4');
    expect(db.prepare('SELECT count(*) AS n FROM sync_problems').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
