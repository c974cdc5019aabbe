import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import {
  claimNextJob,
  completeJob,
  deferJob,
  enqueueJob,
  failAttempt,
  getJob,
  iso,
  listJobs,
  renewLease,
  requestCancel,
  retryJob,
} from '../../../src-main/core/sync/job-queue.ts';
import { retryDelayMs } from '../../../src-main/core/sync/backoff.ts';
import { startHistory } from '../../../src-main/core/sync/history.ts';

const t0 = Date.parse('2026-06-13T08:00:00.000Z');
const lease = { leaseMs: 60_000 };
let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-queue-'));
  db = openDatabase(join(dir, 'racedesk.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const job = (account: string, extra: Partial<Parameters<typeof enqueueJob>[1]> = {}) =>
  ({ provider: 'runsignup', account, syncType: 'participants', ...extra }) as const;

function claimAll(worker: string, now: number): number[] {
  const ids: number[] = [];
  for (;;) {
    const claimed = claimNextJob(db, { worker, now, ...lease });
    if (!claimed) return ids;
    ids.push(claimed.id);
    completeJob(db, claimed, { worker, now, records: 0 });
  }
}

describe('the sync job queue', () => {
  it('picks jobs by priority (lower first), then scheduled_for, then age', () => {
    const late = enqueueJob(db, job('a', { eventId: '1', priority: 5 }), t0, t0 - 1_000).id;
    const early = enqueueJob(db, job('b', { eventId: '2', priority: 5 }), t0, t0 - 5_000).id;
    const urgent = enqueueJob(db, job('c', { eventId: '3', priority: 1 }), t0, t0).id;
    const low = enqueueJob(db, job('d', { eventId: '4', priority: 9 }), t0, t0 - 60_000).id;
    const notYet = enqueueJob(db, job('e', { eventId: '5', priority: 1 }), t0, t0 + 60_000).id;

    expect(claimAll('w', t0)).toEqual([urgent, early, late, low]);
    expect(getJob(db, notYet).status).toBe('pending');
    expect(claimAll('w', t0 + 60_000)).toEqual([notYet]);
  });

  it('stores the event in the payload with the seed meaning and reads it back as eventId', () => {
    const queued = enqueueJob(db, job('a', { eventId: '1234', full: true }), t0);
    const row = db.prepare('SELECT payload, event_id, account_label FROM sync_queue WHERE id = ?').get(queued.id);
    expect(row).toEqual({ payload: '{"event_id":"1234","full":true}', event_id: '1234', account_label: 'a' });
    expect(queued).toMatchObject({ eventId: '1234', full: true, status: 'pending', retryCount: 0, maxRetries: 3 });
  });

  it('does not queue the same work twice, but moves the waiting job up', () => {
    const first = enqueueJob(db, job('a', { eventId: '1', priority: 5 }), t0, t0 + 60_000);
    const again = enqueueJob(db, job('a', { eventId: '1', priority: 2 }), t0);
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ priority: 2, scheduledFor: iso(t0) });
    expect(enqueueJob(db, job('a', { eventId: '2' }), t0).id).not.toBe(first.id);
  });

  it('runs one job per account at a time, while other accounts proceed', () => {
    const a1 = enqueueJob(db, job('a', { eventId: '1' }), t0).id;
    const a2 = enqueueJob(db, job('a', { eventId: '2' }), t0).id;
    const b1 = enqueueJob(db, job('b', { eventId: '1' }), t0).id;
    const first = claimNextJob(db, { worker: 'w1', now: t0, ...lease })!;
    const second = claimNextJob(db, { worker: 'w2', now: t0, ...lease })!;
    expect([first.id, second.id]).toEqual([a1, b1]);
    expect(claimNextJob(db, { worker: 'w2', now: t0, ...lease })).toBeNull();
    completeJob(db, first, { worker: 'w1', now: t0, records: 3 });
    expect(claimNextJob(db, { worker: 'w2', now: t0, ...lease })!.id).toBe(a2);
  });

  it('gives a running job whose lease ran out to the next scheduler and closes the dead attempt history', () => {
    const id = enqueueJob(db, job('a', { eventId: '7' }), t0).id;
    const claimed = claimNextJob(db, { worker: 'dead', now: t0, ...lease })!;
    const historyId = startHistory(db, { partnerId: null, provider: 'runsignup', syncType: 'participants', account: 'a', eventId: '7' });

    expect(claimNextJob(db, { worker: 'alive', now: t0 + 30_000, ...lease })).toBeNull();
    expect(renewLease(db, claimed, { worker: 'dead', now: t0 + 30_000, ...lease })).toEqual({ held: true, cancelRequested: false });
    // Heartbeats stop (the process was killed); one lease later the job is free again.
    expect(claimNextJob(db, { worker: 'alive', now: t0 + 80_000, ...lease })).toBeNull();
    const again = claimNextJob(db, { worker: 'alive', now: t0 + 90_001, ...lease })!;
    expect(again).toMatchObject({ id, claimedBy: 'alive', retryCount: 0, status: 'running' });
    expect(db.prepare('SELECT status, job_id, error_message FROM sync_history WHERE id = ?').get(historyId)).toMatchObject({
      status: 'interrupted',
      job_id: id,
      error_message: 'The app stopped during this run; the job was started again.',
    });
    // The dead process, should it wake up, no longer owns the job.
    expect(renewLease(db, claimed, { worker: 'dead', now: t0 + 90_002, ...lease }).held).toBe(false);
    expect(completeJob(db, claimed, { worker: 'dead', now: t0 + 90_002, records: 1 })).toBeNull();
  });

  it('reschedules a failed attempt with exponential backoff and jitter, then marks it failed after max_retries', () => {
    const id = enqueueJob(db, job('a', { eventId: '1', maxRetries: 3 }), t0).id;
    const backoff = { baseMs: 1_000, maxMs: 60_000 };
    let now = t0;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const claimed = claimNextJob(db, { worker: 'w', now, ...lease });
      expect(claimed?.id).toBe(id);
      const after = failAttempt(db, claimed!, {
        worker: 'w', now, records: 0, backoff, random: () => 0.5,
        error: { code: 'provider_error', message: `HTTP 503 (attempt ${attempt})` },
      })!;
      if (attempt <= 3) {
        expect(after).toMatchObject({ status: 'pending', retryCount: attempt, lastErrorCode: 'provider_error' });
        const delay = Date.parse(after.scheduledFor) - now;
        delays.push(delay);
        expect(claimNextJob(db, { worker: 'w', now: now + delay - 1, ...lease })).toBeNull();
        now += delay;
      } else {
        expect(after).toMatchObject({ status: 'failed', retryCount: 3, lastError: 'HTTP 503 (attempt 4)' });
      }
    }
    expect(delays).toEqual([750, 1_500, 3_000]);
    expect(claimNextJob(db, { worker: 'w', now: now + 3_600_000, ...lease })).toBeNull();
    // Every attempt is in sync_history, even when nothing wrote a row for it.
    expect(db.prepare('SELECT count(*) AS n FROM sync_history WHERE job_id = ? AND status = ?').get(id, 'failed')).toEqual({ n: 4 });
  });

  it('keeps jitter inside the upper half of the exponential step and caps it', () => {
    for (const random of [0, 0.25, 0.999]) {
      const delay = retryDelayMs(3, { baseMs: 1_000, maxMs: 60_000 }, () => random);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
    expect(retryDelayMs(30, { baseMs: 1_000, maxMs: 60_000 }, () => 1)).toBe(60_000);
  });

  it('fails at once on refused credentials, which retrying cannot fix', () => {
    enqueueJob(db, job('a'), t0);
    const claimed = claimNextJob(db, { worker: 'w', now: t0, ...lease })!;
    const after = failAttempt(db, claimed, { worker: 'w', now: t0, records: 0, error: { code: 'auth_failed', message: 'Key refused' } });
    expect(after).toMatchObject({ status: 'failed', retryCount: 0, lastErrorCode: 'auth_failed' });
  });

  it('defers a job whose provider is unreachable without using a retry', () => {
    enqueueJob(db, job('a'), t0);
    const claimed = claimNextJob(db, { worker: 'w', now: t0, ...lease })!;
    const after = deferJob(db, claimed, {
      worker: 'w', now: t0, records: 0, until: t0 + 30_000, error: { code: 'network_error', message: 'offline' },
    });
    expect(after).toMatchObject({ status: 'pending', retryCount: 0, scheduledFor: iso(t0 + 30_000), lastErrorCode: 'network_error' });
  });

  it('cancels a waiting job at once and asks a running one to stop', () => {
    const waiting = enqueueJob(db, job('a', { eventId: '1' }), t0, t0 + 1_000).id;
    const runningId = enqueueJob(db, job('b'), t0).id;
    const running = claimNextJob(db, { worker: 'w', now: t0, ...lease })!;
    expect(requestCancel(db, waiting, t0).status).toBe('cancelled');
    expect(requestCancel(db, runningId, t0)).toMatchObject({ status: 'running', cancelRequested: true });
    expect(renewLease(db, running, { worker: 'w', now: t0, ...lease }).cancelRequested).toBe(true);
    expect(() => requestCancel(db, waiting, t0)).toThrow(/already cancelled/);
    expect(() => requestCancel(db, 999, t0)).toThrow(/no sync job 999/);
  });

  it('finishes a job cancelled while its process was dead instead of starting it again', () => {
    const id = enqueueJob(db, job('a'), t0).id;
    claimNextJob(db, { worker: 'dead', now: t0, ...lease });
    const historyId = startHistory(db, { partnerId: null, provider: 'runsignup', syncType: 'participants', account: 'a', eventId: '3' });
    requestCancel(db, id, t0 + 1);
    expect(claimNextJob(db, { worker: 'alive', now: t0 + 120_000, ...lease })).toBeNull();
    expect(getJob(db, id).status).toBe('cancelled');
    expect(db.prepare('SELECT status, job_id, error_message FROM sync_history WHERE id = ?').get(historyId)).toMatchObject({
      status: 'interrupted',
      job_id: id,
      error_message: 'The app stopped during this run; the job was then cancelled.',
    });
  });

  it('puts a failed job back with its retries restored', () => {
    const id = enqueueJob(db, job('a', { maxRetries: 0 }), t0).id;
    const claimed = claimNextJob(db, { worker: 'w', now: t0, ...lease })!;
    failAttempt(db, claimed, { worker: 'w', now: t0, records: 0, error: { code: 'provider_error', message: 'bad page' } });
    expect(getJob(db, id).status).toBe('failed');
    expect(retryJob(db, id, t0 + 5)).toMatchObject({ status: 'pending', retryCount: 0, scheduledFor: iso(t0 + 5) });
    expect(claimNextJob(db, { worker: 'w', now: t0 + 5, ...lease })!.id).toBe(id);
    expect(() => retryJob(db, id, t0 + 6)).toThrow(/is running now/);
  });

  it('lists running, then pending, then failed jobs', () => {
    const failed = enqueueJob(db, job('a', { maxRetries: 0 }), t0).id;
    failAttempt(db, claimNextJob(db, { worker: 'w', now: t0, ...lease })!, {
      worker: 'w', now: t0, records: 0, error: { code: 'provider_error', message: 'x' },
    });
    const pending = enqueueJob(db, job('b', { eventId: '2' }), t0, t0 + 10_000).id;
    const running = enqueueJob(db, job('c'), t0).id;
    claimNextJob(db, { worker: 'w', now: t0, ...lease });
    expect(listJobs(db).map((j) => j.id)).toEqual([running, pending, failed]);
    expect(listJobs(db, { statuses: ['failed'] }).map((j) => j.id)).toEqual([failed]);
  });
});
