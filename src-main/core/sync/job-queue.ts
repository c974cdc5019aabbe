import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import type { SyncType } from './history.ts';
import { retryDelayMs, type BackoffPolicy } from './backoff.ts';
import { workerIsGone } from './worker-id.ts';
import { boundLimit } from '../store/statements.ts';

/*
 * The sync job queue on the local sync_queue table (migration 0030 explains the columns). Every
 * statement that changes a job's owner runs in a BEGIN IMMEDIATE transaction, so processes sharing
 * the SQLite file see each other's claims and never both start the same job.
 */

export type JobStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
export const jobStatuses = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

export interface JobProgress {
  phase: string;
  eventId: string | null;
  eventName: string | null;
  page: number;
  pageCount: number | null;
  records: number;
}

export interface SyncJob {
  id: number;
  provider: string;
  account: string;
  syncType: SyncType;
  /** null: every event of the account. */
  eventId: string | null;
  full: boolean;
  priority: number;
  status: JobStatus;
  scheduledFor: string;
  retryCount: number;
  maxRetries: number;
  claimedBy: string | null;
  leaseUntil: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  cancelRequested: boolean;
  recordsProcessed: number;
  progress: JobProgress | null;
  createdAt: string;
}

interface JobRow {
  id: number;
  timing_partner_id: number | null;
  provider_name: string;
  account_label: string | null;
  sync_type: SyncType;
  event_id: string | null;
  payload: string | null;
  priority: number;
  status: JobStatus;
  scheduled_for: string;
  retry_count: number;
  max_retries: number;
  claimed_by: string | null;
  lease_until: string | null;
  started_at: string | null;
  finished_at: string | null;
  last_error: string | null;
  last_error_code: string | null;
  cancel_requested: number;
  records_processed: number;
  history_from_id: number | null;
  progress: string | null;
  created_at: string;
}

const columns = `id, timing_partner_id, provider_name, account_label, sync_type, event_id, payload, priority, status,
  scheduled_for, retry_count, max_retries, claimed_by, lease_until, started_at, finished_at, last_error,
  last_error_code, cancel_requested, records_processed, history_from_id, progress, created_at`;

function toJob(row: JobRow): SyncJob {
  const payload = row.payload ? (JSON.parse(row.payload) as { full?: boolean }) : {};
  return {
    id: row.id,
    provider: row.provider_name,
    account: row.account_label ?? '',
    syncType: row.sync_type,
    eventId: row.event_id,
    full: payload.full === true,
    priority: row.priority,
    status: row.status,
    scheduledFor: row.scheduled_for,
    retryCount: row.retry_count,
    maxRetries: row.max_retries,
    claimedBy: row.claimed_by,
    leaseUntil: row.lease_until,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    cancelRequested: row.cancel_requested === 1,
    recordsProcessed: row.records_processed,
    progress: row.progress ? (JSON.parse(row.progress) as JobProgress) : null,
    createdAt: row.created_at,
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface NewJob {
  provider: string;
  account: string;
  syncType: SyncType;
  eventId?: string | null;
  full?: boolean;
  priority?: number;
  maxRetries?: number;
  timingPartnerId?: number | null;
}

/**
 * Adds a job, unless the same work is already waiting: then that job is returned, moved up to the
 * higher priority and the earlier time of the two, so asking twice never fetches twice.
 */
export function enqueueJob(db: Db, job: NewJob, now: number, scheduledFor: number = now): SyncJob {
  const eventId = job.eventId ?? null;
  const payload = JSON.stringify({ ...(eventId !== null ? { event_id: eventId } : {}), full: job.full === true });
  const priority = job.priority ?? 5;
  const run = db.transaction((): SyncJob => {
    const waiting = db
      .prepare(
        `SELECT ${columns} FROM sync_queue
         WHERE status = 'pending' AND provider_name = ? AND account_label = ? AND sync_type = ? AND event_id IS ?
           AND json_extract(payload, '$.full') IS ?
         ORDER BY id LIMIT 1`,
      )
      .get(job.provider, job.account, job.syncType, eventId, job.full === true ? 1 : 0) as JobRow | undefined;
    if (waiting) {
      return toJob(
        db
          .prepare(
            `UPDATE sync_queue SET priority = min(priority, ?), scheduled_for = min(scheduled_for, ?)
             WHERE id = ? RETURNING ${columns}`,
          )
          .get(priority, iso(scheduledFor), waiting.id) as JobRow,
      );
    }
    return toJob(
      db
        .prepare(
          `INSERT INTO sync_queue (timing_partner_id, provider_name, account_label, sync_type, priority, status,
             scheduled_for, max_retries, payload, created_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING ${columns}`,
        )
        .get(job.timingPartnerId ?? null, job.provider, job.account, job.syncType, priority, iso(scheduledFor),
          job.maxRetries ?? 3, payload, iso(now)) as JobRow,
    );
  });
  return run.immediate();
}

/** Whether a job for this account and event (or a whole-account job) is waiting or running. */
export function hasOpenJob(db: Db, key: { provider: string; account: string; syncType: SyncType; eventId: string | null }): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM sync_queue WHERE status IN ('pending', 'running') AND provider_name = ? AND account_label = ?
           AND sync_type = ? AND (event_id IS ? OR event_id IS NULL) LIMIT 1`,
      )
      .get(key.provider, key.account, key.syncType, key.eventId) !== undefined
  );
}

export interface ClaimOptions {
  worker: string;
  now: number;
  leaseMs: number;
  /** Claim only among these jobs (a command that waits for its own jobs). */
  onlyJobs?: readonly number[];
  /**
   * Jobs the caller is running itself: never claimed again, even when a busy moment let their
   * lease lapse before the next heartbeat (the heartbeat renews it or notices another took it).
   */
  runningHere?: readonly number[];
}

/**
 * Takes the next job that may run now: pending and due, or running under a lease that ran out
 * (its process died). Order: priority (lower first), scheduled_for, id. A job is skipped while
 * another job of the same provider account holds a live lease: one job per account at a time
 * keeps each event to one job, keeps the account inside its request budget, and lets the
 * history rows runSync writes be linked to the job without ambiguity. Providers paused as
 * unreachable are skipped until their pause ends.
 */
export function claimNextJob(db: Db, options: ClaimOptions): SyncJob | null {
  const now = iso(options.now);
  const run = db.transaction((): SyncJob | null => {
    releaseJobsOfGoneWorkers(db, options.now);
    // A job cancelled while its process was dead is finished here rather than started again.
    const cancelled = db
      .prepare(
        `UPDATE sync_queue SET status = 'cancelled', finished_at = ?, claimed_by = NULL, lease_until = NULL
         WHERE status = 'running' AND lease_until < ? AND cancel_requested = 1 RETURNING ${columns}`,
      )
      .all(now, now) as JobRow[];
    for (const row of cancelled) closeInterruptedHistory(db, row, now);
    const row = db
      .prepare(
        `SELECT ${columns} FROM sync_queue q
         WHERE ((q.status = 'pending' AND q.scheduled_for <= @now) OR (q.status = 'running' AND q.lease_until < @now))
           AND NOT EXISTS (
             SELECT 1 FROM sync_queue r
             WHERE r.status = 'running' AND r.lease_until >= @now AND r.id <> q.id
               AND r.provider_name = q.provider_name AND r.account_label IS q.account_label)
           AND NOT EXISTS (
             SELECT 1 FROM sync_pauses p WHERE p.provider_name = q.provider_name AND p.paused_until > @now)
           AND (@only IS NULL OR q.id IN (SELECT value FROM json_each(@only)))
           AND q.id NOT IN (SELECT value FROM json_each(@runningHere))
         ORDER BY q.priority, q.scheduled_for, q.id
         LIMIT 1`,
      )
      .get({ now, only: options.onlyJobs ? JSON.stringify(options.onlyJobs) : null, runningHere: JSON.stringify(options.runningHere ?? []) }) as JobRow | undefined;
    if (!row) return null;
    if (row.status === 'running') closeInterruptedHistory(db, row, now);
    const historyFrom = (db.prepare(`SELECT coalesce(max(id), 0) AS id FROM sync_history`).get() as { id: number }).id;
    return toJob(
      db
        .prepare(
          `UPDATE sync_queue SET status = 'running', claimed_by = ?, lease_until = ?, started_at = ?, finished_at = NULL,
             history_from_id = ?, progress = NULL, records_processed = 0
           WHERE id = ? RETURNING ${columns}`,
        )
        .get(options.worker, iso(options.now + options.leaseMs), now, historyFrom, row.id) as JobRow,
    );
  });
  return run.immediate();
}

/**
 * A job whose holder process on this computer no longer exists is free now, not when its lease
 * runs out: its lease is ended, and the claim below takes it like any expired one.
 */
function releaseJobsOfGoneWorkers(db: Db, now: number): void {
  const held = db
    .prepare(`SELECT id, claimed_by FROM sync_queue WHERE status = 'running' AND lease_until >= ? AND claimed_by IS NOT NULL`)
    .all(iso(now)) as Array<{ id: number; claimed_by: string }>;
  const end = db.prepare(`UPDATE sync_queue SET lease_until = ? WHERE id = ?`);
  for (const job of held) if (workerIsGone(job.claimed_by)) end.run(iso(now - 1), job.id);
}

/**
 * The history rows of an attempt whose process died stay 'running' forever unless closed here,
 * on the laptop and (through the outbox) on the hub. They are marked interrupted, not failed: the
 * run itself met no error, and the job goes on (or was cancelled meanwhile).
 */
function closeInterruptedHistory(db: Db, row: JobRow, now: string): void {
  linkHistoryRows(db, row);
  const next = row.status === 'cancelled' ? 'the job was then cancelled' : 'the job was started again';
  db.prepare(
    `UPDATE sync_history SET status = 'interrupted', completed_at = ?,
       error_message = 'The app stopped during this run; ' || ? || '.'
     WHERE job_id = ? AND status = 'running'`,
  ).run(now, next, row.id);
}

/**
 * runSync writes the history rows; they are the rows for this job's account (and event) written
 * since the attempt began, which is unambiguous because one job per account runs at a time.
 */
function linkHistoryRows(db: Db, row: Pick<JobRow, 'id' | 'provider_name' | 'account_label' | 'event_id' | 'history_from_id'>): number {
  return db
    .prepare(
      `UPDATE sync_history SET job_id = ?
       WHERE job_id IS NULL AND id > ? AND provider_name = ? AND account_label IS ?
         AND (? IS NULL OR event_id IS NULL OR event_id = ?)`,
    )
    .run(row.id, row.history_from_id ?? 0, row.provider_name, row.account_label, row.event_id, row.event_id).changes;
}

export interface LeaseState {
  /** False when this process no longer owns the job (its lease ran out and another took it). */
  held: boolean;
  cancelRequested: boolean;
}

/** Heartbeat: extends the lease, records progress when given, and reports a cancellation request. */
export function renewLease(
  db: Db,
  job: Pick<SyncJob, 'id'>,
  options: ClaimOptions & { progress?: JobProgress },
): LeaseState {
  const progress = options.progress;
  const row = db
    .prepare(
      `UPDATE sync_queue SET lease_until = ?,
         progress = coalesce(?, progress), records_processed = coalesce(?, records_processed)
       WHERE id = ? AND status = 'running' AND claimed_by = ?
       RETURNING cancel_requested`,
    )
    .get(iso(options.now + options.leaseMs), progress ? JSON.stringify(progress) : null, progress?.records ?? null,
      job.id, options.worker) as { cancel_requested: number } | undefined;
  return { held: row !== undefined, cancelRequested: row?.cancel_requested === 1 };
}

export interface AttemptEnd {
  worker: string;
  now: number;
  records: number;
}

/**
 * Ends the attempt; returns the job as stored, or null when this process had lost the job. An
 * attempt whose failure runSync did not record (no credentials, an unknown event id after the
 * listing) gets a failed row here, so every attempt and its error are in sync_history.
 */
function finishAttempt(
  db: Db,
  job: SyncJob,
  end: AttemptEnd & { error?: { message: string } },
  set: string,
  params: unknown[],
): SyncJob | null {
  const run = db.transaction((): SyncJob | null => {
    const row = db
      .prepare(
        `UPDATE sync_queue SET ${set}, claimed_by = NULL, lease_until = NULL, records_processed = ?
         WHERE id = ? AND status = 'running' AND claimed_by = ? RETURNING ${columns}`,
      )
      .get(...params, end.records, job.id, end.worker) as JobRow | undefined;
    if (!row) return null;
    linkHistoryRows(db, row);
    const recorded = db
      .prepare(
        `SELECT count(*) AS n FROM sync_history WHERE job_id = ? AND id > ? AND (? = 0 OR status IN ('failed', 'partial'))`,
      )
      .get(row.id, row.history_from_id ?? 0, end.error ? 1 : 0) as { n: number };
    if (recorded.n === 0) {
      db.prepare(
        `INSERT INTO sync_history (timing_partner_id, provider_name, sync_type, status, records_processed, started_at,
           completed_at, error_message, account_label, event_id, job_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(row.timing_partner_id, row.provider_name, row.sync_type, end.error ? 'failed' : 'success', end.records,
        row.started_at, iso(end.now), end.error?.message ?? null, row.account_label, row.event_id, row.id);
    }
    return toJob(row);
  });
  return run.immediate();
}

export function completeJob(db: Db, job: SyncJob, end: AttemptEnd): SyncJob | null {
  return finishAttempt(db, job, end, `status = 'completed', finished_at = ?, last_error = NULL, last_error_code = NULL`, [iso(end.now)]);
}

export function cancelRunningJob(db: Db, job: SyncJob, end: AttemptEnd): SyncJob | null {
  return finishAttempt(db, job, { ...end, error: { message: 'Cancelled.' } }, `status = 'cancelled', finished_at = ?`, [iso(end.now)]);
}

/** The scheduler is stopping (app closing): the job waits for the next start, no retry used. */
export function releaseJob(db: Db, job: SyncJob, end: AttemptEnd): SyncJob | null {
  return finishAttempt(
    db, job, { ...end, error: { message: 'Stopped: RaceDesk was closing; the job will run again.' } },
    `status = 'pending', scheduled_for = ?`, [iso(end.now)],
  );
}

/**
 * A failed attempt: back to pending after an exponential, jittered delay while retries remain,
 * else failed for good. Permanent errors (refused credentials, bad input) fail at once: trying
 * again cannot help and may lock the account.
 */
export function failAttempt(
  db: Db,
  job: SyncJob,
  end: AttemptEnd & { error: { code: string; message: string }; backoff?: Partial<BackoffPolicy>; random?: () => number },
): SyncJob | null {
  const permanent = ['auth_failed', 'invalid_input', 'not_found', 'unauthorized'].includes(end.error.code);
  const attempts = job.retryCount + 1;
  if (permanent || attempts > job.maxRetries) {
    return finishAttempt(
      db, job, end,
      `status = 'failed', finished_at = ?, retry_count = ?, last_error = ?, last_error_code = ?`,
      [iso(end.now), permanent ? job.retryCount : job.maxRetries, end.error.message, end.error.code],
    );
  }
  const delay = retryDelayMs(attempts, end.backoff, end.random);
  return finishAttempt(
    db, job, end,
    `status = 'pending', scheduled_for = ?, retry_count = ?, last_error = ?, last_error_code = ?`,
    [iso(end.now + delay), attempts, end.error.message, end.error.code],
  );
}

/**
 * The provider could not be reached (network down, rate limited): the job waits for the provider
 * to come back without using up a retry, since nothing is wrong with the job itself.
 */
export function deferJob(db: Db, job: SyncJob, end: AttemptEnd & { until: number; error: { code: string; message: string } }): SyncJob | null {
  return finishAttempt(
    db, job, end,
    `status = 'pending', scheduled_for = ?, last_error = ?, last_error_code = ?`,
    [iso(end.until), end.error.message, end.error.code],
  );
}

export function getJob(db: Db, id: number): SyncJob {
  const row = db.prepare(`SELECT ${columns} FROM sync_queue WHERE id = ?`).get(id) as JobRow | undefined;
  if (!row) throw new RaceDeskError('not_found', `There is no sync job ${id}. See \`racedesk queue\` for the jobs.`);
  return toJob(row);
}

export function listJobs(db: Db, options: { statuses?: readonly JobStatus[]; limit?: number } = {}): SyncJob[] {
  const statuses = options.statuses ?? ['pending', 'running', 'failed'];
  const rows = db
    .prepare(
      `SELECT ${columns} FROM sync_queue WHERE status IN (SELECT value FROM json_each(?))
       ORDER BY CASE status WHEN 'running' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
         CASE WHEN status = 'pending' THEN priority END, scheduled_for, id DESC
       ${boundLimit('?')}`,
    )
    .all(JSON.stringify(statuses), options.limit ?? 200) as JobRow[];
  return rows.map(toJob);
}

/**
 * A waiting job is cancelled at once; a running one is asked to stop, and its process stops at the
 * next page boundary with every page stored so far kept.
 */
export function requestCancel(db: Db, id: number, now: number): SyncJob {
  const run = db.transaction((): SyncJob => {
    const job = getJob(db, id);
    if (job.status === 'pending') {
      db.prepare(`UPDATE sync_queue SET status = 'cancelled', finished_at = ? WHERE id = ?`).run(iso(now), id);
    } else if (job.status === 'running') {
      db.prepare(`UPDATE sync_queue SET cancel_requested = 1 WHERE id = ?`).run(id);
    } else {
      throw new RaceDeskError('conflict', `Sync job ${id} is already ${job.status}; only waiting or running jobs can be cancelled.`);
    }
    return getJob(db, id);
  });
  return run.immediate();
}

/** Puts a failed or cancelled job back in the queue (with its retries restored), or runs a waiting one now. */
export function retryJob(db: Db, id: number, now: number): SyncJob {
  const run = db.transaction((): SyncJob => {
    const job = getJob(db, id);
    if (job.status === 'running') {
      throw new RaceDeskError('conflict', `Sync job ${id} is running now; wait for it to finish or cancel it first.`);
    }
    if (job.status === 'completed') {
      throw new RaceDeskError('conflict', `Sync job ${id} already completed; enqueue a new sync instead.`);
    }
    db.prepare(
      `UPDATE sync_queue SET status = 'pending', scheduled_for = ?, retry_count = 0, cancel_requested = 0,
         finished_at = NULL WHERE id = ?`,
    ).run(iso(now), id);
    return getJob(db, id);
  });
  return run.immediate();
}
