import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';

describe('migration 0175 runsignup-result-sets', () => {
  it('adds the published result sets to a store with crew results, keeping them, one set per race and event', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 175) });
    db.exec(`INSERT INTO crew_results (source_provider, event_id, participant_id, bib_number, chip_time_ms, status) VALUES ('runsignup', '5001', '9101', '101', 2410400, 'FIN')`);
    migrate(db, migrations);
    expect(db.prepare(`SELECT participant_id, chip_time_ms FROM crew_results`).all()).toEqual([{ participant_id: '9101', chip_time_ms: 2_410_400 }]);
    const remember = db.prepare(
      `INSERT INTO runsignup_result_sets (race_id, event_id, result_set_id, account, published_at, rows_accepted, rows_rejected)
       VALUES ('77', '5001', ?, 'Timer', '2026-05-10T12:00:00.000Z', 3, 0)`,
    );
    remember.run('604416');
    expect(() => remember.run('604417')).toThrow(/UNIQUE constraint failed/);
    expect(() => db.exec(`UPDATE runsignup_result_sets SET rows_rejected = -1`)).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
