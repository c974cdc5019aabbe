import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { upsertRows } from '../../../../src-main/core/store/upsert.ts';

describe('migration 0082 haku-participant-key', () => {
  it('keeps every stored Haku runner, then lets two events hold the same registration number', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 82) });
    db.exec(`
      INSERT INTO haku_events (event_id, event_name) VALUES ('e1', 'Riverfront 10K'), ('e2', 'Lakefront Half');
      INSERT INTO haku_participants (event_id, participant_id, first_name, last_name, bib_number, email)
        VALUES ('e1', 'R-100400', 'Dana', 'Whitfield', '1187', 'dana@example.com');
      INSERT INTO hub_outbox (table_name, row_key, op) VALUES ('haku_participants', '{"participant_id":"R-100400"}', 'upsert');
    `);
    // Before: the second event's R-100400 replaces the first event's runner.
    expect(() => db.prepare(`INSERT INTO haku_participants (event_id, participant_id) VALUES ('e2', 'R-100400')`).run()).toThrow(/UNIQUE/);

    migrate(db, migrations);

    expect(db.prepare('SELECT event_id, participant_id, first_name, bib_number FROM haku_participants').all()).toEqual([
      { event_id: 'e1', participant_id: 'R-100400', first_name: 'Dana', bib_number: '1187' },
    ]);
    upsertRows(db, 'haku_participants', ['event_id', 'participant_id'], [{ event_id: 'e2', participant_id: 'R-100400', first_name: 'Luis' }]);
    upsertRows(db, 'haku_participants', ['event_id', 'participant_id'], [{ event_id: 'e1', participant_id: 'R-100400', first_name: 'Dana M.' }]);
    expect(db.prepare('SELECT event_id, first_name FROM haku_participants ORDER BY event_id').all()).toEqual([
      { event_id: 'e1', first_name: 'Dana M.' },
      { event_id: 'e2', first_name: 'Luis' },
    ]);
    // The views and the search index still see the table.
    expect(db.prepare(`SELECT count(*) AS n FROM unified_participants WHERE source_provider = 'haku'`).get()).toEqual({ n: 2 });
    // Both runners: from 0083 on, a Haku runner's search id carries its event.
    expect(db.prepare(`SELECT participant_id, first_fold FROM participant_search WHERE provider = 'haku' ORDER BY 1`).all()).toEqual([
      { participant_id: 'e1:R-100400', first_fold: 'danam' },
      { participant_id: 'e2:R-100400', first_fold: 'luis' },
    ]);
    expect(db.prepare(`SELECT row_key FROM hub_outbox WHERE table_name = 'haku_participants' ORDER BY seq LIMIT 1`).get()).toEqual({
      row_key: '{"event_id":"e1","participant_id":"R-100400"}',
    });
    db.close();
  });
});
