import type { Migration } from './types.ts';
import { nameKeySearchTriggers, providerValues, searchColumns } from './0070-name-tokens.ts';

/*
 * Haku registration numbers repeat across events (0082 keys haku_participants by event and
 * number), but the rest of the app names a runner by (provider, participant_id): the search index,
 * unified_participants, the pickup state and the audit trail. Keyed by the number alone, a second
 * event's R-1001 replaced the first in participant_search (half the demo's Haku runners could not
 * be found) and a check-in of one showed on the other.
 *
 * A Haku runner's id in the app is therefore `<event_id>:<registration number>`; the number is
 * recovered by removing the row's own event_id and ':', never by splitting (either may hold a ':').
 * Only the id the app passes around changes:
 * haku_participants keeps Haku's own columns, and the hub, which keys venue changes by event_id
 * beside participant_id, gets the registration number back (store/pushable-tables.ts).
 *
 * Existing venue changes and state of Haku runners take the new id (their event_id says which
 * event they were made in), before the search rows are rebuilt, so a bib override is re-applied.
 */
// As this migration ran; the app's rule for every provider whose ids repeat across events is store/runner-id.ts.
const hakuRunnerId = (row: string) => `${row}.event_id || ':' || ${row}.participant_id`;

const hakuSearch = {
  provider: 'haku',
  table: 'haku_participants',
  id: hakuRunnerId('NEW'),
  eventId: 'event_id',
  bib: 'bib_number',
  first: 'first_name',
  last: 'last_name',
  email: 'email',
  phone: 'phone',
};

export const hakuRunnerIdMigration: Migration = {
  version: 83,
  name: 'haku-runner-id',
  up: /* sql */ `
DROP TRIGGER haku_participants_search_insert;
DROP TRIGGER haku_participants_search_update;
DROP TRIGGER haku_participants_search_delete;
-- Walk-ups in Haku events (source_rowid < 0) keep their rows.
DELETE FROM participant_search WHERE provider = 'haku' AND source_rowid > 0;

UPDATE participant_changes SET participant_id = ${hakuRunnerId('participant_changes')} WHERE source_provider = 'haku';
UPDATE participant_state SET participant_id = ${hakuRunnerId('participant_state')} WHERE source_provider = 'haku';

${nameKeySearchTriggers(hakuSearch)}
CREATE TRIGGER haku_participants_search_delete AFTER DELETE ON haku_participants BEGIN
  DELETE FROM participant_search WHERE provider = 'haku' AND participant_id = ${hakuRunnerId('OLD')};
END;
INSERT OR REPLACE INTO participant_search (${searchColumns}) SELECT ${providerValues(hakuSearch, 'src')} FROM haku_participants AS src;
`,
};
