import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { lookupParticipants } from '../../../../src-main/core/lookup/lookup.ts';
import { upsertRows } from '../../../../src-main/core/store/upsert.ts';

describe('migration 0083 haku-runner-id', () => {
  it('keeps stored Haku runners findable with their check-in and bib change, under the id that carries their event', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 83) });
    db.exec(`
      INSERT INTO haku_events (event_id, event_name) VALUES ('aaaaaaaaaaaaaaaaaaaa', 'Riverfront 10K');
      INSERT INTO haku_participants (event_id, participant_id, first_name, last_name, bib_number)
        VALUES ('aaaaaaaaaaaaaaaaaaaa', 'R-1001', 'Dana', 'Whitfield', '1187');
      INSERT INTO participant_changes (change_id, source_provider, event_id, participant_id, kind, field, new_value, station_name, changed_at) VALUES
        ('c1', 'haku', 'aaaaaaaaaaaaaaaaaaaa', 'R-1001', 'check_in', NULL, NULL, 'Desk 1', '2026-05-02T07:00:00.000Z'),
        ('c2', 'haku', 'aaaaaaaaaaaaaaaaaaaa', 'R-1001', 'bib_change', 'bib_number', '77', 'Desk 1', '2026-05-02T07:01:00.000Z');
    `);
    expect(db.prepare(`SELECT participant_id, bib FROM participant_search WHERE provider = 'haku'`).all()).toEqual([{ participant_id: 'R-1001', bib: '77' }]);

    migrate(db, migrations);

    const id = 'aaaaaaaaaaaaaaaaaaaa:R-1001';
    expect(db.prepare(`SELECT participant_id, bib FROM participant_search WHERE provider = 'haku'`).all()).toEqual([{ participant_id: id, bib: '77' }]);
    expect(db.prepare(`SELECT participant_id, first_name, bib_number, registered_bib, checked_in FROM unified_participants WHERE source_provider = 'haku'`).all()).toEqual([
      { participant_id: id, first_name: 'Dana', bib_number: '77', registered_bib: '1187', checked_in: 1 },
    ]);
    expect(lookupParticipants(db, { query: 'dana whit' }).rows.map((r) => r.participant_id)).toEqual([id]);
    expect(db.prepare(`SELECT DISTINCT participant_id FROM participant_changes`).all()).toEqual([{ participant_id: id }]);

    // A second event's runner with the same number is indexed beside the first, and removing it leaves the first.
    db.exec(`INSERT INTO haku_events (event_id, event_name) VALUES ('bbbbbbbbbbbbbbbbbbbb', 'Lakefront Half')`);
    upsertRows(db, 'haku_participants', ['event_id', 'participant_id'], [
      { event_id: 'bbbbbbbbbbbbbbbbbbbb', participant_id: 'R-1001', first_name: 'Luis', last_name: 'Ortega', bib_number: '1188' },
    ]);
    expect(db.prepare(`SELECT participant_id, bib FROM participant_search WHERE provider = 'haku' ORDER BY 1`).all()).toEqual([
      { participant_id: id, bib: '77' },
      { participant_id: 'bbbbbbbbbbbbbbbbbbbb:R-1001', bib: '1188' },
    ]);
    db.exec(`DELETE FROM haku_participants WHERE event_id = 'bbbbbbbbbbbbbbbbbbbb'`);
    expect(db.prepare(`SELECT participant_id FROM participant_search WHERE provider = 'haku'`).all()).toEqual([{ participant_id: id }]);
    db.close();
  });
});
