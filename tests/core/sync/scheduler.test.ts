import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../../helpers/core.ts';
import { Scheduler } from '../../../src-main/core/sync/scheduler.ts';
import type { JobExecutor, JobResult } from '../../../src-main/core/sync/sync-executor.ts';
import { enqueueJob, getJob, iso, requestCancel, type SyncJob } from '../../../src-main/core/sync/job-queue.ts';
import { activePauses } from '../../../src-main/core/sync/provider-pauses.ts';
import { listWatches, watchEvent } from '../../../src-main/core/sync/watches.ts';
import { ManualClock } from './manual-clock.ts';

/*
 * The scheduler's decisions against the real queue table, with a scripted executor in place of
 * runSync (the runSync path is covered with the RunSignUp simulator in queue-runsignup.test.ts).
 */
let core: TestCore;
let clock: ManualClock;
beforeEach(() => {
  core = createTestCore();
  clock = new ManualClock();
});
afterEach(() => core.cleanup());

function scripted(outcomes: (job: SyncJob) => JobResult | Promise<JobResult>): { executor: JobExecutor; ran: SyncJob[] } {
  const ran: SyncJob[] = [];
  return {
    ran,
    executor: async (job) => {
      ran.push(job);
      return outcomes(job);
    },
  };
}

const participants = (account: string, eventId: string | null = null, priority = 5) =>
  ({ provider: 'runsignup', account, syncType: 'participants', eventId, priority }) as const;

describe('the sync scheduler', () => {
  it('runs due jobs in priority order and leaves later ones for later', async () => {
    const { executor, ran } = scripted(() => ({ status: 'completed', records: 1 }));
    const later = enqueueJob(core.db, participants('a', '9', 1), clock.now(), clock.now() + 60_000).id;
    const normal = enqueueJob(core.db, participants('a', '1', 5), clock.now()).id;
    const urgent = enqueueJob(core.db, participants('a', '2', 1), clock.now()).id;
    const scheduler = new Scheduler(core, { executor, clock, concurrency: 1 });
    await scheduler.runUntilIdle();
    expect(ran.map((j) => j.id)).toEqual([urgent, normal]);
    expect(getJob(core.db, later).status).toBe('pending');
    clock.advance(60_000);
    await scheduler.runUntilIdle();
    expect(ran.map((j) => j.id)).toEqual([urgent, normal, later]);
    expect(getJob(core.db, later)).toMatchObject({ status: 'completed', recordsProcessed: 1, claimedBy: null });
  });

  it('retries a failing job with growing delays and marks it failed after max_retries', async () => {
    const { executor, ran } = scripted(() => ({ status: 'failed', records: 0, error: { code: 'provider_error', message: 'HTTP 503' } }));
    const id = enqueueJob(core.db, { ...participants('a', '1'), maxRetries: 2 }, clock.now()).id;
    const scheduler = new Scheduler(core, { executor, clock, backoff: { baseMs: 10_000, maxMs: 600_000 }, random: () => 1 });
    const waits: number[] = [];
    for (;;) {
      await scheduler.runUntilIdle();
      const job = getJob(core.db, id);
      if (job.status !== 'pending') break;
      const wait = Date.parse(job.scheduledFor) - clock.now();
      waits.push(wait);
      clock.advance(wait);
    }
    expect(waits).toEqual([10_000, 20_000]);
    expect(ran).toHaveLength(3);
    expect(getJob(core.db, id)).toMatchObject({ status: 'failed', retryCount: 2, lastError: 'HTTP 503' });
  });

  it('pauses a provider that cannot be reached, without using retries, and resumes by itself', async () => {
    let online = false;
    const { executor, ran } = scripted(() =>
      online ? { status: 'completed', records: 5 } : { status: 'failed', records: 0, error: { code: 'network_error', message: 'connection refused' } },
    );
    const first = enqueueJob(core.db, { ...participants('a', '1'), maxRetries: 1 }, clock.now()).id;
    const other = enqueueJob(core.db, participants('b', '1'), clock.now() + 1).id;
    const scheduler = new Scheduler(core, { executor, clock, concurrency: 1, pause: { baseMs: 30_000, maxMs: 120_000 } });

    await scheduler.runUntilIdle();
    // The second job was due too, but the provider is paused: it was not even tried.
    expect(ran.map((j) => j.id)).toEqual([first]);
    expect(activePauses(core.db, clock.now())).toMatchObject([{ provider: 'runsignup', failures: 1 }]);
    expect(getJob(core.db, first)).toMatchObject({ status: 'pending', retryCount: 0, scheduledFor: iso(clock.now() + 30_000) });

    clock.advance(30_000);
    await scheduler.runUntilIdle();
    expect(ran).toHaveLength(2);
    expect(activePauses(core.db, clock.now())).toMatchObject([{ failures: 2 }]);
    expect(getJob(core.db, first).retryCount).toBe(0);

    online = true;
    clock.advance(60_000);
    await scheduler.runUntilIdle();
    expect(activePauses(core.db, clock.now())).toEqual([]);
    expect(getJob(core.db, first).status).toBe('completed');
    expect(getJob(core.db, other).status).toBe('completed');
  });

  it('never runs two jobs of the same account at once, even with free slots', async () => {
    const releases: Array<() => void> = [];
    const running = new Set<string>();
    let overlap = false;
    const executor: JobExecutor = (job) =>
      new Promise((resolve) => {
        const key = `${job.provider}/${job.account}`;
        if (running.has(key)) overlap = true;
        running.add(key);
        releases.push(() => {
          running.delete(key);
          resolve({ status: 'completed', records: 0 });
        });
      });
    for (const event of ['1', '2', '3']) enqueueJob(core.db, participants('a', event), clock.now());
    enqueueJob(core.db, participants('b', '1'), clock.now());
    const scheduler = new Scheduler(core, { executor, clock, concurrency: 4 });
    const idle = scheduler.runUntilIdle();
    await new Promise((r) => setImmediate(r));
    expect(scheduler.activeJobs().map((a) => a.job.account).sort()).toEqual(['a', 'b']);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await idle;
    expect(overlap).toBe(false);
  });

  it('cancels a running job asked from anywhere at the next page boundary', async () => {
    const pages: number[] = [];
    const executor: JobExecutor = async (job, control) => {
      for (let page = 1; page <= 5; page++) {
        if (control.signal.aborted) return { status: 'cancelled', records: pages.length };
        pages.push(page);
        // Another process (the CLI, the UI) asks to cancel while page 2 is being stored.
        if (page === 2) requestCancel(core.db, job.id, clock.now());
        control.onProgress({ phase: 'participants', eventId: '1', eventName: 'Half', page, pageCount: 5, records: page * 10 });
      }
      return { status: 'completed', records: 50 };
    };
    const id = enqueueJob(core.db, participants('a', '1'), clock.now()).id;
    await new Scheduler(core, { executor, clock }).runUntilIdle();
    expect(pages).toEqual([1, 2]);
    expect(getJob(core.db, id)).toMatchObject({ status: 'cancelled', progress: { page: 2, pageCount: 5, records: 20 } });
  });

  it('gives running jobs back to the queue when stopped, without using a retry', async () => {
    const executor: JobExecutor = (_job, control) =>
      new Promise((resolve) => control.signal.addEventListener('abort', () => resolve({ status: 'cancelled', records: 0 })));
    const id = enqueueJob(core.db, participants('a', '1'), clock.now()).id;
    const scheduler = new Scheduler(core, { executor, clock });
    scheduler.start();
    expect(getJob(core.db, id).status).toBe('running');
    await scheduler.stop();
    expect(getJob(core.db, id)).toMatchObject({ status: 'pending', retryCount: 0, claimedBy: null });
  });

  it('keeps watched events fresh, more often on race day', async () => {
    const { executor, ran } = scripted(() => ({ status: 'completed', records: 0 }));
    const raceDay = new Date(clock.now() + 24 * 3_600_000);
    const day = `${raceDay.getFullYear()}-${String(raceDay.getMonth() + 1).padStart(2, '0')}-${String(raceDay.getDate()).padStart(2, '0')}`;
    watchEvent(core.db, { provider: 'runsignup', account: 'a', eventId: '1', intervalMinutes: 60, raceDay: day, raceDayIntervalMinutes: 5 }, clock.now());
    const scheduler = new Scheduler(core, { executor, clock, pollMs: 60_000 });
    scheduler.start();
    await new Promise((r) => setImmediate(r));
    expect(ran).toHaveLength(1);
    // The day before: every hour.
    clock.advance(59 * 60_000);
    await new Promise((r) => setImmediate(r));
    expect(ran).toHaveLength(1);
    clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    expect(ran).toHaveLength(2);
    expect(ran.every((j) => j.eventId === '1' && j.syncType === 'participants')).toBe(true);
    // Race day: every five minutes.
    clock.advance(24 * 3_600_000);
    await new Promise((r) => setImmediate(r));
    const before = ran.length;
    clock.advance(5 * 60_000);
    await new Promise((r) => setImmediate(r));
    expect(ran.length).toBe(before + 1);
    expect(listWatches(core.db)[0]).toMatchObject({ intervalMinutes: 60, raceDay: day, raceDayIntervalMinutes: 5 });
    await scheduler.stop();
  });
});
