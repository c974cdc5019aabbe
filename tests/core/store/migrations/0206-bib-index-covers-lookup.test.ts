import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { lookupParticipants } from '../../../../src-main/core/lookup/lookup.ts';
import { rebuildSearchIndex } from '../../../../src-main/core/store/search-index.ts';

describe('migration 0206 bib-index-covers-lookup', () => {
  it('keeps every runner findable by bib, and a bib lookup reads its hits from the index alone', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 206) });
    db.exec(`
      INSERT INTO runsignup_events (event_id, race_id, name) VALUES (11, 1, '5K'), (12, 1, '10K');
      INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, bib_num) VALUES
        (1, 11, 1001, 'María', 'Núñez', '101'), (1, 12, 1002, 'Anna', 'Smithers', '101'), (1, 12, 1003, 'Nuno', 'Smith', '1010');
      INSERT INTO ct_events (event_id, event_name) VALUES ('E9', 'Harbour Half');
      INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, athlete_last_name, entry_bib) VALUES ('en-1', 'E9', 'Jörg', 'Müller', '101');
    `);
    rebuildSearchIndex(db);

    migrate(db, migrations);

    const bib101 = lookupParticipants(db, { query: '101' }).rows.map((row) => `${row.source_provider} ${row.participant_id}`);
    expect(bib101.slice(0, 3)).toEqual(['chronotrack en-1', 'runsignup 1001', 'runsignup 1002']);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT provider, source_rowid FROM participant_search WHERE bib = ? ORDER BY provider, event_id`)
      .all('101') as Array<{ detail: string }>;
    expect(plan.map((step) => step.detail)).toContain('SEARCH participant_search USING COVERING INDEX idx_participant_search_bib (bib=?)');
    db.close();
  });
});
