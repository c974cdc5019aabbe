import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';

describe('migration 0140 held-results', () => {
  it('adds the held rows table to a store with crew results, keeping them, and holds each line once', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 140) });
    db.exec(`INSERT INTO crew_results (source_provider, event_id, participant_id, bib_number, chip_time_ms, status) VALUES ('runsignup', '5001', '9101', '101', 2410400, 'FIN')`);
    migrate(db, migrations);
    expect(db.prepare(`SELECT participant_id, chip_time_ms FROM crew_results`).all()).toEqual([{ participant_id: '9101', chip_time_ms: 2_410_400 }]);
    const hold = db.prepare(
      `INSERT INTO held_results (source_provider, event_id, file_name, line, bib, bib_key, kind, reasons, cells, mapping, fingerprint, import_id)
       VALUES ('runsignup', '5001', 'finish.csv', 3, '999', '999', 'unknown_bib', '["bib 999 is not registered in this event"]', '{"Bib":"999"}', '{"bib":"Bib","splits":{}}', 'f1', 'i1')
       ON CONFLICT DO NOTHING`,
    );
    expect(hold.run().changes).toBe(1);
    expect(hold.run().changes).toBe(0);
    expect(() => db.exec(`UPDATE held_results SET resolution = 'lost'`)).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
