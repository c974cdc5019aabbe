import type { Migration } from './types.ts';

/*
 * sync_history.records_unchanged: of a run's records_processed, how many the provider sent exactly
 * as the store already held them (store/upsert.ts skips those: no rewrite, no re-index, nothing
 * queued for the hub). A crew reading "28,004 records, 28,004 unchanged" knows a re-sync did
 * nothing and why the hub got no rows. Runs before this column was added count 0.
 */
export const syncHistoryUnchanged: Migration = {
  version: 205,
  name: 'sync-history-unchanged',
  up: /* sql */ `
ALTER TABLE sync_history ADD COLUMN records_unchanged INTEGER NOT NULL DEFAULT 0;
`,
};
