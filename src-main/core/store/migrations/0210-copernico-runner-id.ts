import type { Migration } from './types.ts';
import { reindexTable } from '../search-index.ts';
import { eventScopedRunnerId } from '../runner-id.ts';

/*
 * Copernico numbers athletes per race, and copernico_participants is keyed by (event_id,
 * participant_id), but the rest of the app named a Copernico runner by the athlete id alone, as
 * Haku's before migration 0083: a second event's athlete with the same id replaced the first in
 * participant_search (one runner could no longer be found), and a check-in or bib change of one
 * showed on the other. A Copernico runner's id in the app is now `<event_id>:<athlete id>`
 * (store/runner-id.ts), in participant_search, unified_participants and unified_results.
 *
 * The venue's rows that name a Copernico runner take the new id, each by its own event_id (the
 * event the change or result was made in): the audit trail, the pickup state, crew results and
 * held results a crew matched. Before this migration two runners sharing an id also shared their
 * pickup state; it goes to the event its last change was made in, as the audit trail records.
 * The hub keeps the athlete id beside the event (its values are unchanged), so these rewrites are
 * not queued for it; crew-result changes still waiting to be pushed are re-keyed to the new id.
 * The search rows are then rebuilt from copernico_participants, after the state they read a bib
 * override from, and the delete trigger removes a runner's row by the new id.
 */
const reKey = (table: string) => `UPDATE ${table} SET participant_id = ${eventScopedRunnerId(table)} WHERE source_provider = 'copernico'`;

export const copernicoRunnerId: Migration = {
  version: 210,
  name: 'copernico-runner-id',
  // The outbox switch is never committed set (store/outbox-triggers.ts), so it is cleared again, not restored.
  up: /* sql */ `
UPDATE hub_outbox_control SET paused = 1;
${reKey('participant_changes')};
${reKey('participant_state')};
${reKey('crew_results')};
${reKey('held_results')} AND participant_id IS NOT NULL;
UPDATE hub_outbox_control SET paused = 0;
UPDATE hub_outbox SET row_key = json_set(row_key, '$.participant_id', json_extract(row_key, '$.event_id') || ':' || json_extract(row_key, '$.participant_id'))
  WHERE table_name = 'crew_results' AND json_extract(row_key, '$.source_provider') = 'copernico';
DELETE FROM participant_search WHERE provider = 'copernico' AND source_rowid > 0;
DROP TRIGGER copernico_participants_search_delete;
CREATE TRIGGER copernico_participants_search_delete AFTER DELETE ON copernico_participants BEGIN
  DELETE FROM participant_search WHERE provider = 'copernico' AND participant_id = ${eventScopedRunnerId('OLD')};
END;
`,
  then: (db) => reindexTable(db, 'copernico_participants'),
};
