import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { lookupRemoved } from '../../../../src-main/core/lookup/removed.ts';

describe('migration 0195 runsignup-removed-email', () => {
  it('keeps removals stored before it, and copies the e-mail of a registration removed after it', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 195) });
    db.exec(`
      INSERT INTO runsignup_events (event_id, race_id) VALUES (900, 90);
      INSERT INTO runsignup_participants (race_id, registration_id, event_id, first_name, last_name, bib_num, email)
        VALUES (90, 61230001, 900, 'Dana', 'Whitfield', '1187', 'dana.w@example.org'), (90, 61230002, 900, 'Luis', 'Ortega', '1188', 'Luis.Ortega@Example.org');
      INSERT INTO runsignup_removed_registrations (registration_id, event_id, removed_reason) VALUES (61230001, 900, 'cleared');
      DELETE FROM runsignup_participants WHERE registration_id = 61230001;
    `);

    migrate(db, migrations);

    expect(db.prepare('SELECT first_name, bib_num, email FROM runsignup_removed_registrations').all()).toEqual([{ first_name: 'Dana', bib_num: '1187', email: null }]);
    expect(lookupRemoved(db, { query: 'whitfield' }).map((r) => r.note)).toEqual(['removed: cleared']);

    db.exec(`INSERT INTO runsignup_removed_registrations (registration_id, event_id, removed_reason) VALUES (61230002, 900, 'refunded')`);
    expect(db.prepare('SELECT first_name, bib_num, email FROM runsignup_removed_registrations WHERE registration_id = 61230002').get()).toEqual({
      first_name: 'Luis',
      bib_num: '1188',
      email: 'Luis.Ortega@Example.org',
    });
    // An e-mail (or its start) finds the removal; two words are a name, never an e-mail.
    expect(lookupRemoved(db, { query: 'luis.ortega@example.org' }).map((r) => r.participant_id)).toEqual(['61230002']);
    expect(lookupRemoved(db, { query: 'luis.ort' }).map((r) => r.participant_id)).toEqual(['61230002']);
    expect(lookupRemoved(db, { query: 'dana.w' })).toEqual([]);
    db.close();
  });
});
