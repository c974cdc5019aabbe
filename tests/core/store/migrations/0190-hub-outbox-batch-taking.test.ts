import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { takeBatch } from '../../../../src-main/core/hub/outbox.ts';

describe('migration 0190 hub-outbox-batch-taking', () => {
  it('counts a batch in flight before it as complete, so it is resent as it was', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 190) });
    db.exec(`INSERT INTO runsignup_events (event_id, race_id, name) VALUES (101, 7, 'Harbor 10K'), (102, 7, 'Harbor 10K')`);
    // A batch as version 160 took it, whole, in one transaction.
    db.exec(`UPDATE hub_outbox SET batch_id = 'b-160', row_csv = '101,7,"Harbor 10K"' WHERE row_key = '{"event_id":101}';
      INSERT INTO hub_outbox_batches (batch_id, columns) VALUES ('b-160', '{"runsignup_events":["event_id","race_id","name"]}');`);
    migrate(db, migrations);
    expect(db.prepare(`SELECT batch_id, complete FROM hub_outbox_batches`).all()).toEqual([{ batch_id: 'b-160', complete: 1 }]);
    expect(takeBatch(db, 10)).toEqual({ batchId: 'b-160', size: 1, tables: [{ table: 'runsignup_events', upserts: 1, deletes: 0 }] });
    expect(() => db.prepare(`UPDATE hub_outbox_batches SET complete = 2`).run()).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
