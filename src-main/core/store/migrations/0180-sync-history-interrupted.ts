import type { Migration } from './types.ts';

/*
 * sync_history gets a status word of its own for a run whose process died (job-queue.ts
 * closeInterruptedHistory): 'interrupted', where such rows were 'failed' with a message starting
 * "Interrupted:". A STRICT table's CHECK cannot be altered, so the table is rebuilt with every row
 * and index; old interrupted rows move to the new word.
 *
 * Foreign keys stay on inside the migration transaction, so dropping the old table deletes its
 * rows first and cascades to sync_problems: those are set aside and put back (their REFERENCES
 * names sync_history, which then is the new table). A dropped table fires no triggers, so the
 * drop queues no hub deletes; the outbox triggers come back after the migrations
 * (store/outbox-triggers.ts). The rewritten interrupted rows are queued for the hub by hand, so
 * the hub learns their new status too.
 */
export const syncHistoryInterrupted: Migration = {
  version: 180,
  name: 'sync-history-interrupted',
  up: /* sql */ `
PRAGMA legacy_alter_table = ON;
CREATE TABLE sync_history_rebuilt (
  id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  provider_name TEXT NOT NULL,
  sync_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed', 'partial', 'interrupted')),
  records_processed INTEGER NOT NULL DEFAULT 0,
  started_at TEXT,
  completed_at TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  account_label TEXT,
  event_id TEXT,
  job_id INTEGER REFERENCES sync_queue(id) ON DELETE SET NULL
) STRICT;
INSERT INTO sync_history_rebuilt (id, timing_partner_id, provider_name, sync_type, status, records_processed, started_at, completed_at,
  error_message, created_at, account_label, event_id, job_id)
SELECT id, timing_partner_id, provider_name, sync_type, status, records_processed, started_at, completed_at,
  error_message, created_at, account_label, event_id, job_id
FROM sync_history;

CREATE TEMP TABLE sync_problems_kept AS SELECT * FROM sync_problems;
DROP TABLE sync_history;
ALTER TABLE sync_history_rebuilt RENAME TO sync_history;
INSERT INTO sync_problems SELECT * FROM temp.sync_problems_kept;
DROP TABLE temp.sync_problems_kept;
CREATE INDEX idx_sync_history_recent ON sync_history(provider_name, account_label, started_at);
CREATE INDEX idx_sync_history_job ON sync_history(job_id);

-- "Interrupted: the app stopped…" becomes "The app stopped…", as closeInterruptedHistory now writes it.
UPDATE sync_history SET status = 'interrupted', error_message = upper(substr(error_message, 14, 1)) || substr(error_message, 15)
WHERE status = 'failed' AND error_message LIKE 'Interrupted: %';
INSERT INTO hub_outbox (table_name, row_key, op)
SELECT 'sync_history', json_object('id', id), 'upsert' FROM sync_history WHERE status = 'interrupted'
ON CONFLICT (table_name, row_key) WHERE batch_id IS NULL DO UPDATE SET op = excluded.op, recorded_at = excluded.recorded_at;
PRAGMA legacy_alter_table = OFF;
`,
};
