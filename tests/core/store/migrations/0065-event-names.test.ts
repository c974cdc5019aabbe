import { describe, it, expect } from 'vitest';
import { openDatabase, migrate } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';

describe('migration 0065 event-names', () => {
  it('names the events of a store synced before it, one row per Race Roster sub-event and one title per event', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 65) });
    db.exec(`
      INSERT INTO runsignup_events (event_id, race_id, name, race_name, start_time) VALUES (903311, 7001, '5K', 'Lakeside Turkey Trot', '2026-07-13T07:00:00.000Z');
      INSERT INTO raceroster_events (event_id, race_id, name, location_name, start_date) VALUES
        (48517, 132201, 'Lakeshore Sprint Triathlon & Relay › Individual', 'Burlington', '2027-06-20T11:00:00.000Z'),
        (48517, 132202, 'Lakeshore Sprint Triathlon & Relay › Relay Team', 'Burlington', '2027-06-20T11:30:00.000Z');
      INSERT INTO haku_events (event_id, event_name, start_date) VALUES ('e73', 'Riverfront 10K 2027', '2027-05-16');
    `);
    migrate(db, migrations.filter((m) => m.version <= 65));
    expect(db.prepare('SELECT source_provider, event_id, sub_event_id, row_name, race_name, event_title FROM event_rows ORDER BY 1, 2, 3').all()).toEqual([
      { source_provider: 'haku', event_id: 'e73', sub_event_id: null, row_name: 'Riverfront 10K 2027', race_name: null, event_title: 'Riverfront 10K 2027' },
      { source_provider: 'raceroster', event_id: '48517', sub_event_id: '132201', row_name: 'Lakeshore Sprint Triathlon & Relay › Individual', race_name: 'Lakeshore Sprint Triathlon & Relay', event_title: 'Lakeshore Sprint Triathlon & Relay' },
      { source_provider: 'raceroster', event_id: '48517', sub_event_id: '132202', row_name: 'Lakeshore Sprint Triathlon & Relay › Relay Team', race_name: 'Lakeshore Sprint Triathlon & Relay', event_title: 'Lakeshore Sprint Triathlon & Relay' },
      { source_provider: 'runsignup', event_id: '903311', sub_event_id: null, row_name: 'Lakeside Turkey Trot › 5K', race_name: 'Lakeside Turkey Trot', event_title: 'Lakeside Turkey Trot › 5K' },
    ]);
    expect(db.prepare('SELECT source_provider, event_id, event_title, event_date FROM event_titles ORDER BY 1, 2').all()).toEqual([
      { source_provider: 'haku', event_id: 'e73', event_title: 'Riverfront 10K 2027', event_date: '2027-05-16' },
      { source_provider: 'raceroster', event_id: '48517', event_title: 'Lakeshore Sprint Triathlon & Relay', event_date: '2027-06-20T11:00:00.000Z' },
      { source_provider: 'runsignup', event_id: '903311', event_title: 'Lakeside Turkey Trot › 5K', event_date: '2026-07-13T07:00:00.000Z' },
    ]);
    // A sync of a RunSignUp race page is named by the race.
    expect(db.prepare(`SELECT name FROM event_ids WHERE source_provider = 'runsignup' AND id = '7001'`).get()).toEqual({ name: 'Lakeside Turkey Trot' });
    db.close();
  });
});
