import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { lookupParticipants } from '../../../../src-main/core/lookup/lookup.ts';
import { upsertRows } from '../../../../src-main/core/store/upsert.ts';
import { indexRunners } from '../../../../src-main/core/store/search-index.ts';

const event = 'media-maraton-rio-verde-2026:21K';
const id = `${event}:ATH00042`;

describe('migration 0210 copernico-runner-id', () => {
  it('keeps stored Copernico runners findable with their check-in, bib change and crew result, under the id that carries their event', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 210) });
    db.exec(`
      INSERT INTO copernico_events (event_id, event_name) VALUES ('${event}', 'Media Maratón › 21K');
      INSERT INTO copernico_participants (event_id, participant_id, first_name, last_name, bib_number)
        VALUES ('${event}', 'ATH00042', 'Lucía', 'Gómez', '3');
      INSERT INTO copernico_results (event_id, participant_id, bib_number, total_time, status) VALUES ('${event}', 'ATH00042', '3', '1:18:21.730', 'finished');
      INSERT INTO participant_changes (change_id, source_provider, event_id, participant_id, kind, field, new_value, station_name, changed_at) VALUES
        ('c1', 'copernico', '${event}', 'ATH00042', 'check_in', NULL, NULL, 'Desk 1', '2026-11-15T07:00:00.000Z'),
        ('c2', 'copernico', '${event}', 'ATH00042', 'bib_change', 'bib_number', '77', 'Desk 1', '2026-11-15T07:01:00.000Z');
      INSERT INTO crew_results (source_provider, event_id, participant_id, bib_number, chip_time_ms, status, overall_place)
        VALUES ('copernico', '${event}', 'ATH00042', '77', 4701730, 'FIN', 1);
    `);
    // The previous schema's index, as its writer kept it: the runner under the athlete id alone.
    const rowid = db.prepare(`SELECT rowid FROM copernico_participants`).pluck().get() as number;
    indexRunners(db, [{ provider: 'copernico', participant_id: 'ATH00042', source_rowid: rowid, event_id: event, bib: '3', first_name: 'Lucía', last_name: 'Gómez', email: null, phone: null }]);
    expect(db.prepare(`SELECT participant_id, bib FROM participant_search WHERE provider = 'copernico'`).all()).toEqual([{ participant_id: 'ATH00042', bib: '77' }]);
    const waiting = db.prepare(`SELECT row_key FROM hub_outbox WHERE table_name = 'crew_results'`).pluck();
    expect(waiting.all().map((key) => JSON.parse(key as string))).toEqual([{ source_provider: 'copernico', event_id: event, participant_id: 'ATH00042' }]);
    const queued = (db.prepare(`SELECT count(*) FROM hub_outbox`).pluck().get() as number);

    migrate(db, migrations);

    expect(db.prepare(`SELECT participant_id, bib FROM participant_search WHERE provider = 'copernico'`).all()).toEqual([{ participant_id: id, bib: '77' }]);
    expect(db.prepare(`SELECT participant_id, first_name, bib_number, registered_bib, checked_in, checked_in_by FROM unified_participants WHERE source_provider = 'copernico'`).all()).toEqual([
      { participant_id: id, first_name: 'Lucía', bib_number: '77', registered_bib: '3', checked_in: 1, checked_in_by: 'Desk 1' },
    ]);
    expect(lookupParticipants(db, { query: 'lucia gomez' }).rows.map((r) => r.participant_id)).toEqual([id]);
    expect(db.prepare(`SELECT DISTINCT participant_id FROM participant_changes`).all()).toEqual([{ participant_id: id }]);
    // The crew's result and Copernico's own name the same runner, so they meet side by side.
    expect(db.prepare(`SELECT source_provider, participant_id FROM unified_results ORDER BY 1`).all()).toEqual([
      { source_provider: 'copernico', participant_id: id },
      { source_provider: 'crew', participant_id: id },
    ]);
    // The hub's values did not change: nothing new is queued, and the waiting crew result is queued under its new key.
    expect(db.prepare(`SELECT count(*) FROM hub_outbox`).pluck().get()).toBe(queued);
    expect(waiting.all().map((key) => JSON.parse(key as string))).toEqual([{ source_provider: 'copernico', event_id: event, participant_id: id }]);

    // Another event's athlete with the same id is indexed beside the first, and removing it leaves the first.
    const other = 'trail-sierra-alta-2026:Trail 25K';
    db.exec(`INSERT INTO copernico_events (event_id, event_name) VALUES ('${other}', 'Trail Sierra Alta › 25K')`);
    upsertRows(db, 'copernico_participants', ['event_id', 'participant_id'], [
      { event_id: other, participant_id: 'ATH00042', first_name: 'Raúl', last_name: 'Ortega', bib_number: '1188' },
    ]);
    expect(db.prepare(`SELECT participant_id, bib FROM participant_search WHERE provider = 'copernico' ORDER BY 1`).all()).toEqual([
      { participant_id: id, bib: '77' },
      { participant_id: `${other}:ATH00042`, bib: '1188' },
    ]);
    db.exec(`DELETE FROM copernico_participants WHERE event_id = '${other}'`);
    expect(db.prepare(`SELECT participant_id FROM participant_search WHERE provider = 'copernico'`).all()).toEqual([{ participant_id: id }]);
    db.close();
  });
});
