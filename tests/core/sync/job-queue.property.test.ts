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
  iso,
  listJobs,
  renewLease,
  requestCancel,
  retryJob,
  type SyncJob,
} from '../../../src-main/core/sync/job-queue.ts';
import { seededRandom } from '../../../src-main/datasets/synthetic/random.ts';

/*
 * Random interleavings of what several processes do to the queue (enqueue, claim, heartbeat,
 * finish, fail, die, cancel, retry, time passing), checking after every step the rules the rest of
 * RaceDesk relies on. Seeded, so a failure replays exactly.
 */
const leaseMs = 10_000;
let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-queue-prop-'));
  db = openDatabase(join(dir, 'racedesk.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Held {
  job: SyncJob;
  worker: string;
}

function checkInvariants(now: number): void {
  const all = listJobs(db, { statuses: ['pending', 'running', 'completed', 'failed', 'cancelled'], limit: 10_000 });
  const live = all.filter((j) => j.status === 'running' && j.leaseUntil !== null && j.leaseUntil >= iso(now));
  const accounts = live.map((j) => `${j.provider}/${j.account}`);
  expect(new Set(accounts).size, 'two live jobs of one account').toBe(accounts.length);
  for (const job of all) {
    expect(job.retryCount).toBeLessThanOrEqual(job.maxRetries);
    if (job.status === 'running') expect(job.claimedBy !== null && job.leaseUntil !== null, `job ${job.id} running without owner`).toBe(true);
    else expect(job.claimedBy, `job ${job.id} ${job.status} still claimed`).toBeNull();
  }
}

/** What the claim must return: the best job by (priority, scheduled_for, id) whose account is free. */
function expectedClaim(now: number): number | null {
  const all = listJobs(db, { statuses: ['pending', 'running'], limit: 10_000 });
  const at = iso(now);
  const live = all.filter((j) => j.status === 'running' && j.leaseUntil! >= at);
  const eligible = all.filter(
    (j) =>
      ((j.status === 'pending' && j.scheduledFor <= at) || (j.status === 'running' && j.leaseUntil! < at && !j.cancelRequested)) &&
      !live.some((r) => r.id !== j.id && r.provider === j.provider && r.account === j.account),
  );
  eligible.sort((x, y) => x.priority - y.priority || x.scheduledFor.localeCompare(y.scheduledFor) || x.id - y.id);
  return eligible[0]?.id ?? null;
}

describe('the sync job queue under random interleavings', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`keeps its rules (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const workers = ['app', 'station', 'cli'];
      const accounts = ['a', 'b', 'c'];
      let now = Date.parse('2026-06-13T08:00:00.000Z');
      let held: Held[] = [];
      const finished = new Set<number>();
      let claims = 0;

      for (let step = 0; step < 400; step++) {
        const action = random();
        if (action < 0.2) {
          enqueueJob(
            db,
            { provider: 'runsignup', account: pick(accounts), syncType: 'participants', eventId: pick(['1', '2', null]), priority: pick([1, 5, 9]), maxRetries: pick([0, 1, 3]) },
            now,
            now + Math.floor(random() * 5_000),
          );
        } else if (action < 0.45) {
          const worker = pick(workers);
          const expected = expectedClaim(now);
          const job = claimNextJob(db, { worker, now, leaseMs });
          expect(job?.id ?? null, 'claim order').toBe(expected);
          if (job) {
            claims++;
            expect(finished.has(job.id), `finished job ${job.id} claimed again`).toBe(false);
            // Whatever another holder believed, the job now belongs to this worker only.
            held = held.filter((h) => h.job.id !== job.id);
            held.push({ job, worker });
          }
        } else if (action < 0.7 && held.length > 0) {
          const h = pick(held);
          const end = { worker: h.worker, now, records: 1 };
          const outcome = pick(['complete', 'fail', 'defer', 'beat'] as const);
          if (outcome === 'beat') {
            renewLease(db, h.job, { worker: h.worker, now, leaseMs });
            continue;
          }
          const after =
            outcome === 'complete'
              ? completeJob(db, h.job, end)
              : outcome === 'fail'
                ? failAttempt(db, h.job, { ...end, error: { code: 'provider_error', message: 'x' }, backoff: { baseMs: 1_000, maxMs: 8_000 }, random })
                : deferJob(db, h.job, { ...end, until: now + 3_000, error: { code: 'network_error', message: 'offline' } });
          held = held.filter((x) => x !== h);
          if (after?.status === 'completed') finished.add(after.id);
        } else if (action < 0.75 && held.length > 0) {
          // A process dies: it stops heartbeating and never finishes what it held.
          const dead = pick(workers);
          held = held.filter((h) => h.worker !== dead);
        } else if (action < 0.8) {
          const open = listJobs(db, { statuses: ['pending', 'running'] });
          if (open.length > 0) requestCancel(db, pick(open).id, now);
        } else if (action < 0.85) {
          const stopped = listJobs(db, { statuses: ['failed', 'cancelled'] });
          if (stopped.length > 0) retryJob(db, pick(stopped).id, now);
        } else {
          now += Math.floor(random() * 6_000);
        }
        checkInvariants(now);
      }
      expect(claims).toBeGreaterThan(20);
      expect(finished.size).toBeGreaterThan(2);
    });
  }
});
