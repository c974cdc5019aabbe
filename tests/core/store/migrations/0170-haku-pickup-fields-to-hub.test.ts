import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';

describe('migration 0170 haku-pickup-fields-to-hub', () => {
  it('queues once more, for the hub, the Haku runners already pushed with a shirt size, chip, wave or corral', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 170) });
    db.exec(`
      INSERT INTO haku_events (event_id, event_name) VALUES ('H-1', 'Spring 10K');
      INSERT INTO haku_participants (event_id, participant_id, first_name, wave) VALUES ('H-1', 'H-1:R-1', 'Gus', 'Wave 2');
      INSERT INTO haku_participants (event_id, participant_id, first_name, shirt_size) VALUES ('H-1', 'H-1:R-2', 'Ida', 'M');
      INSERT INTO haku_participants (event_id, participant_id, first_name) VALUES ('H-1', 'H-1:R-3', 'Jo');
      -- As after a push: nothing waits.
      DELETE FROM hub_outbox;
      INSERT INTO hub_outbox (table_name, row_key, op, batch_id) VALUES ('haku_participants', json_object('event_id', 'H-1', 'participant_id', 'H-1:R-2'), 'upsert', 'in-flight');
    `);
    migrate(db, migrations);
    expect(db.prepare(`SELECT row_key, op, batch_id FROM hub_outbox ORDER BY row_key, batch_id`).all()).toEqual([
      { row_key: '{"event_id":"H-1","participant_id":"H-1:R-1"}', op: 'upsert', batch_id: null },
      { row_key: '{"event_id":"H-1","participant_id":"H-1:R-2"}', op: 'upsert', batch_id: null },
      { row_key: '{"event_id":"H-1","participant_id":"H-1:R-2"}', op: 'upsert', batch_id: 'in-flight' },
    ]);
    db.close();
  });
});
