import type { Migration } from './types.ts';

/*
 * Records a sync stored with a field left NULL (the provider sent a value we cannot read), or
 * skipped (no readable key), kept with the sync_history row of the run that met them, so the Sync
 * page can say which record, which field and what was actually sent. Laptop-only: the hub gets
 * the run's summary in sync_history.error_message.
 */
export const syncProblems: Migration = {
  version: 80,
  name: 'sync-problems',
  up: /* sql */ `
CREATE TABLE sync_problems (
  id INTEGER PRIMARY KEY,
  history_id INTEGER NOT NULL REFERENCES sync_history(id) ON DELETE CASCADE,
  record_id TEXT,
  field TEXT NOT NULL,
  raw_value TEXT,
  problem TEXT NOT NULL,
  skipped INTEGER NOT NULL CHECK (skipped IN (0, 1))
) STRICT;
CREATE INDEX idx_sync_problems_history ON sync_problems(history_id);
`,
};
