import { describe, it, expect } from 'vitest';
import { openDatabase, migrate } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';

describe('migration 0010 chronotrack-copernico-fields', () => {
  it('upgrades a version-3 store with rows in it and folds result statuses', () => {
    const before = migrations.filter((m) => m.version < 10);
    const db = openDatabase(':memory:', { migrations: before });
    db.exec(`
      INSERT INTO ct_events (event_id, event_name) VALUES ('90412', 'Riverbend');
      INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, entry_status) VALUES ('1', '90412', 'Oskar', 'DNF'), ('2', '90412', 'Bea', 'CONF');
      INSERT INTO ct_results (event_id, entry_id, results_time) VALUES ('90412', '1', NULL), ('90412', '2', '01:35:47.2');
      INSERT INTO copernico_events (event_id, event_name, event_date) VALUES ('r:21K', 'R 21K', '2026-11-15T08:00:00.000Z');
      INSERT INTO copernico_participants (event_id, participant_id, gender, date_of_birth) VALUES ('r:21K', 'A', 'F', '1992-04-03');
      INSERT INTO copernico_results (event_id, participant_id, total_time, status) VALUES ('r:21K', 'A', '1:18:21.730', 'retired');
    `);
    // The views are the newest schema's (store/views.ts), whatever migration last touched a table: a
    // Copernico runner's id carries its event (store/runner-id.ts).
    migrate(db, migrations);
    db.prepare(`UPDATE copernico_results SET gun_time = '1:18:22.330'`).run();
    const rows = db.prepare(`SELECT source_provider, participant_id, status, results_gun_time, gender, age FROM unified_results ORDER BY 1, 2`).all();
    expect(rows).toEqual([
      { source_provider: 'chronotrack', participant_id: '1', status: 'dnf', results_gun_time: null, gender: null, age: null },
      { source_provider: 'chronotrack', participant_id: '2', status: 'finished', results_gun_time: null, gender: null, age: null },
      { source_provider: 'copernico', participant_id: 'r:21K:A', status: 'dnf', results_gun_time: '1:18:22.330', gender: 'F', age: 34 },
    ]);
    expect(() => db.prepare(`UPDATE ct_results SET split_times = 'not json'`).run()).toThrow();
    db.close();
  });
});
