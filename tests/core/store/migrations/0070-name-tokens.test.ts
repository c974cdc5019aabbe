import { describe, it, expect } from 'vitest';
import { openDatabase, migrate } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { lookupParticipants } from '../../../../src-main/core/lookup/lookup.ts';

describe('migration 0070 name-tokens', () => {
  it('indexes the runners and walk-ups already on the laptop by the parts of their names, keeping bib overrides', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 70) });
    db.exec(`
      INSERT INTO runsignup_events (event_id, race_id, name) VALUES (11, 1, '5K');
      INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES
        (1, 11, 1, 'Aoife', 'D''Arcy-Núñez', '1'), (1, 11, 2, 'Ana Lucía', 'Núñez', '2');
      INSERT INTO ct_events (event_id, event_name) VALUES ('E9', 'Harbour Half');
      INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, athlete_last_name, entry_bib) VALUES ('e1', 'E9', 'Gabriel', 'García Márquez', '7');
      INSERT INTO local_participants (participant_id, source_provider, event_id, first_name, last_name, station_name, created_at, updated_at)
        VALUES ('w1', 'runsignup', '11', 'Zoë', 'Le-Blanc', 'T1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
      INSERT INTO participant_changes (change_id, source_provider, event_id, participant_id, kind, field, old_value, new_value, station_name, changed_at)
        VALUES ('c1', 'runsignup', '11', '1', 'bib_change', 'bib_number', '1', '77', 'T1', '2026-01-01T00:00:00Z');
    `);
    migrate(db, migrations.filter((m) => m.version <= 70));

    const found = (query: string) => lookupParticipants(db, { query }).rows.map((r) => `${r.first_name} ${r.last_name} ${r.bib_number}`);
    expect(found('nunez')).toEqual(['Ana Lucía Núñez 2', "Aoife D'Arcy-Núñez 77"]);
    expect(found('ana lucia nunez')).toEqual(['Ana Lucía Núñez 2']);
    expect(found('garcia marquez')).toEqual(['Gabriel García Márquez 7']);
    expect(found('zoe blanc')).toEqual(['Zoë Le-Blanc null']);
    expect(found('77')).toEqual(["Aoife D'Arcy-Núñez 77"]);
    db.close();
  });
});
