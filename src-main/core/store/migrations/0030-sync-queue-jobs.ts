import type { Migration } from './types.ts';

/*
 * The seed's sync_queue becomes a job queue that several processes (the app, the station server,
 * the CLI) share through one SQLite file.
 *
 * - payload keeps the seed's meaning, which event a job is for: {"event_id": "...", "full": bool};
 *   no event_id means every event of the account. event_id is exposed as a generated column so the
 *   "one job per event at a time" rule can be checked by the claim query and indexed.
 * - priority: lower numbers run first (1 before the seed's default 5), then scheduled_for, then id.
 * - status: pending -> running -> completed | failed | cancelled; a failed attempt goes back to
 *   pending with a later scheduled_for until retry_count reaches max_retries.
 * - claimed_by / lease_until: a running job belongs to one process while its lease is fresh; the
 *   process renews it (heartbeat). A job whose lease has run out was held by a process that died,
 *   and any scheduler may claim it again. Pages are upserts by natural key and cursors are written
 *   only when a run completes, so running it again neither loses nor duplicates rows.
 * - history_from_id: the highest sync_history id when the attempt started; sync_history rows the
 *   attempt wrote (runSync writes them) are linked to the job through sync_history.job_id.
 * - progress: the last progress report (JSON), so any process can show "page n of m".
 *
 * sync_watches holds the scheduler's per-event settings; sync_pauses the providers found
 * unreachable (network down, rate limited) and until when no job of theirs is started.
 */
export const syncQueueJobs: Migration = {
  version: 30,
  name: 'sync-queue-jobs',
  up: /* sql */ `
ALTER TABLE sync_queue ADD COLUMN account_label TEXT;
ALTER TABLE sync_queue ADD COLUMN event_id TEXT GENERATED ALWAYS AS (json_extract(payload, '$.event_id')) VIRTUAL;
ALTER TABLE sync_queue ADD COLUMN claimed_by TEXT;
ALTER TABLE sync_queue ADD COLUMN lease_until TEXT;
ALTER TABLE sync_queue ADD COLUMN started_at TEXT;
ALTER TABLE sync_queue ADD COLUMN finished_at TEXT;
ALTER TABLE sync_queue ADD COLUMN last_error TEXT;
ALTER TABLE sync_queue ADD COLUMN last_error_code TEXT;
ALTER TABLE sync_queue ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1));
ALTER TABLE sync_queue ADD COLUMN records_processed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_queue ADD COLUMN history_from_id INTEGER;
ALTER TABLE sync_queue ADD COLUMN progress TEXT CHECK (progress IS NULL OR json_valid(progress));
CREATE INDEX idx_sync_queue_target ON sync_queue(provider_name, account_label, event_id, status);

ALTER TABLE sync_history ADD COLUMN job_id INTEGER REFERENCES sync_queue(id) ON DELETE SET NULL;
CREATE INDEX idx_sync_history_job ON sync_history(job_id);

CREATE TABLE sync_watches (
  provider_name TEXT NOT NULL,
  account_label TEXT NOT NULL,
  event_id TEXT NOT NULL,
  interval_minutes INTEGER NOT NULL CHECK (interval_minutes > 0),
  -- The race day (YYYY-MM-DD, local date) on which race_day_interval_minutes applies instead.
  race_day TEXT CHECK (race_day IS NULL OR race_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  race_day_interval_minutes INTEGER CHECK (race_day_interval_minutes > 0),
  sync_type TEXT NOT NULL DEFAULT 'participants' CHECK (sync_type IN ('events', 'participants', 'results')),
  priority INTEGER NOT NULL DEFAULT 5,
  next_run_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (provider_name, account_label, event_id, sync_type)
) STRICT;

CREATE TABLE sync_pauses (
  provider_name TEXT PRIMARY KEY,
  paused_until TEXT NOT NULL,
  reason TEXT NOT NULL,
  -- Consecutive unreachable outcomes; the pause doubles with each, up to a ceiling.
  failures INTEGER NOT NULL DEFAULT 1
) STRICT;
`,
};
