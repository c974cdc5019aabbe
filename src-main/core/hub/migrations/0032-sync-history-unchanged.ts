import type { HubMigration } from './types.ts';

/*
 * The laptops' sync_history.records_unchanged (local migration 0205): a pushed run says how many of
 * its records were already stored as sent. sync_history is written through column grants (0005),
 * so the new column is granted the same way.
 */
export const syncHistoryUnchanged: HubMigration = {
  version: 32,
  name: 'sync-history-unchanged',
  up: /* sql */ `
ALTER TABLE sync_history ADD COLUMN IF NOT EXISTS records_unchanged INTEGER;
GRANT INSERT (records_unchanged), UPDATE (records_unchanged) ON sync_history TO racedesk_partner;
`,
};
