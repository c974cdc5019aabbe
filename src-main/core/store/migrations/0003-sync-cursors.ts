import type { Migration } from './types.ts';

/*
 * Incremental re-sync cursors (e.g. RunSignUp's modified_after_timestamp), one per account,
 * provider, kind and event. A cursor is written only when a run over that event completed, so an
 * interrupted run re-fetches from the last complete point and never skips records.
 */
export const syncCursors: Migration = {
  version: 3,
  name: 'sync-cursors',
  up: /* sql */ `
CREATE TABLE sync_cursors (
  provider_name TEXT NOT NULL,
  account_label TEXT NOT NULL,
  sync_type TEXT NOT NULL,
  event_id TEXT NOT NULL,
  cursor TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (provider_name, account_label, sync_type, event_id)
) STRICT;
`,
};
