import type { Core } from '../core.ts';
import { toErrorPayload } from '../errors.ts';
import type { BackoffPolicy } from './backoff.ts';
import {
  cancelRunningJob,
  claimNextJob,
  completeJob,
  deferJob,
  failAttempt,
  getJob,
  releaseJob,
  renewLease,
  type JobProgress,
  type SyncJob,
} from './job-queue.ts';
import { pauseProvider, resumeProvider, type PausePolicy } from './provider-pauses.ts';
import { enqueueDueWatches } from './watches.ts';
import { runSyncExecutor, type JobExecutor, type JobResult } from './sync-executor.ts';
import { newWorkerId } from './worker-id.ts';

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SchedulerOptions {
  /** Written to claimed_by; unique per scheduler so two in one process never share jobs. */
  worker?: string;
  executor?: JobExecutor;
  /** Jobs at once (always of different accounts: one job per account at a time). */
  concurrency?: number;
  /** How long a claim lasts without a heartbeat before another process may take the job. */
  leaseMs?: number;
  heartbeatMs?: number;
  /** How often start() looks for due jobs and watches. */
  pollMs?: number;
  backoff?: Partial<BackoffPolicy>;
  pause?: Partial<PausePolicy>;
  clock?: Clock;
  random?: () => number;
}

/** Codes that mean "the provider cannot be reached right now", not "this job is broken". */
const unreachable = new Set(['network_error', 'rate_limited']);

interface ActiveJob {
  job: SyncJob;
  controller: AbortController;
  /** Why the signal was aborted: a person's cancel, the app stopping, or a lost lease. */
  abortReason: 'cancel' | 'stop' | 'lease-lost' | null;
  progress: JobProgress | null;
  done: Promise<void>;
}

/**
 * Runs the sync queue for one process (the Electron app, the station server, a CLI command):
 * enqueues due watches, claims due jobs and runs them through runSync, heartbeats their leases,
 * and turns each outcome into the job's next state. Any number of schedulers may share a database.
 */
export class Scheduler {
  readonly worker: string;
  private readonly executor: JobExecutor;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly active = new Map<number, ActiveJob>();
  private timer: unknown = null;
  private running = false;

  constructor(
    private readonly core: Core,
    private readonly options: SchedulerOptions = {},
  ) {
    this.worker = options.worker ?? newWorkerId();
    this.executor = options.executor ?? runSyncExecutor(core);
    this.clock = options.clock ?? systemClock;
    this.concurrency = options.concurrency ?? 2;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.floor(this.leaseMs / 3);
    this.pollMs = options.pollMs ?? 5_000;
  }

  /** Jobs this scheduler is running now, with their last progress. */
  activeJobs(): Array<{ job: SyncJob; progress: JobProgress | null }> {
    return [...this.active.values()].map(({ job, progress }) => ({ job, progress }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.poll();
  }

  /**
   * Stops claiming and stops the running jobs at their next page boundary; they go back to
   * pending (no retry used) for the next start, with every stored page kept.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const active of this.active.values()) this.abort(active, 'stop');
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /**
   * Enqueues due watches and starts due jobs up to the concurrency (only among onlyJobs when
   * given); returns how many started.
   */
  tick(onlyJobs?: readonly number[]): number {
    if (!onlyJobs) enqueueDueWatches(this.core.db, this.clock.now());
    let started = 0;
    while (this.active.size < this.concurrency) {
      const job = claimNextJob(this.core.db, { worker: this.worker, now: this.clock.now(), leaseMs: this.leaseMs, onlyJobs, runningHere: [...this.active.keys()] });
      if (!job) break;
      this.launch(job);
      started++;
    }
    if (started > 0) this.changed();
    return started;
  }

  /** Runs every job that is due now (and those they make due) until none is left; for tests and the CLI. */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      this.tick();
      if (this.active.size === 0) return;
      await Promise.race([...this.active.values()].map((a) => a.done));
    }
  }

  /**
   * Runs these jobs (and no others) until each has run once: completed, failed, cancelled, or back
   * to pending for a later retry. Jobs another process holds are waited for.
   */
  async runUntilSettled(ids: readonly number[], signal?: AbortSignal): Promise<SyncJob[]> {
    const before = new Map(ids.map((id) => [id, getJob(this.core.db, id)]));
    // Back to pending after an attempt (a retry later, or waiting for the provider) counts as settled.
    const attempted = (job: SyncJob) => {
      const first = before.get(job.id)!;
      return first.status === 'running' || job.startedAt !== first.startedAt;
    };
    const settled = (): SyncJob[] | null => {
      const jobs = ids.map((id) => getJob(this.core.db, id));
      const open = jobs.some((j) => j.status === 'running' || (j.status === 'pending' && !attempted(j)));
      return open ? null : jobs;
    };
    const onAbort = () => {
      for (const active of this.active.values()) if (ids.includes(active.job.id)) this.abort(active, 'cancel');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        this.tick(ids);
        const jobs = settled();
        if (jobs) return jobs;
        const waits: Array<Promise<void>> = [...this.active.values()].map((a) => a.done);
        waits.push(new Promise((resolve) => this.clock.setTimeout(resolve, Math.min(this.pollMs, 1_000))));
        await Promise.race(waits);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private poll(): void {
    if (!this.running) return;
    try {
      this.tick();
    } catch (error) {
      this.core.log.error('The sync scheduler could not read the queue; it tries again shortly.', error);
    }
    this.timer = this.clock.setTimeout(() => this.poll(), this.pollMs);
  }

  private launch(job: SyncJob): void {
    const active: ActiveJob = { job, controller: new AbortController(), abortReason: null, progress: null, done: Promise.resolve() };
    this.active.set(job.id, active);
    active.done = this.execute(active).finally(() => {
      this.active.delete(job.id);
      this.changed();
      // A finished job frees its account: the next one may start without waiting for the poll.
      if (this.running) {
        try {
          this.tick();
        } catch (error) {
          this.core.log.error('The sync scheduler could not read the queue; it tries again shortly.', error);
        }
      }
    });
  }

  private abort(active: ActiveJob, reason: NonNullable<ActiveJob['abortReason']>): void {
    if (active.abortReason !== null) return;
    active.abortReason = reason;
    active.controller.abort(new Error(`sync job ${active.job.id}: ${reason}`));
  }

  /** Renews the lease, saves progress, and notices a cancel asked for by any process. */
  private heartbeat(active: ActiveJob): void {
    const state = renewLease(this.core.db, active.job, {
      worker: this.worker,
      now: this.clock.now(),
      leaseMs: this.leaseMs,
      progress: active.progress ?? undefined,
    });
    if (!state.held) this.abort(active, 'lease-lost');
    else if (state.cancelRequested) this.abort(active, 'cancel');
  }

  private async execute(active: ActiveJob): Promise<void> {
    const { job } = active;
    let beat: unknown = null;
    // A failed renewal (database busy for long) must not fail the page that triggered it; the
    // next beat tries again well before the lease runs out.
    const beatNow = () => {
      try {
        this.heartbeat(active);
      } catch (error) {
        this.core.log.warn(`Could not renew the lease of sync job ${job.id}.`, error);
      }
    };
    const scheduleBeat = () => {
      beat = this.clock.setTimeout(() => {
        beatNow();
        scheduleBeat();
      }, this.heartbeatMs);
    };
    scheduleBeat();
    let result: JobResult;
    try {
      result = await this.executor(job, {
        signal: active.controller.signal,
        runId: `job-${job.id}`,
        onProgress: (progress) => {
          active.progress = progress;
          beatNow();
        },
      });
    } catch (error) {
      const payload = toErrorPayload(error);
      result =
        active.abortReason !== null || payload.code === 'cancelled'
          ? { status: 'cancelled', records: active.progress?.records ?? 0 }
          : { status: 'failed', records: active.progress?.records ?? 0, error: payload };
    } finally {
      this.clock.clearTimeout(beat);
    }
    try {
      this.settle(active, result);
    } catch (error) {
      // The lease runs out and another scheduler picks the job up again.
      this.core.log.error(`Could not record the outcome of sync job ${job.id}.`, error);
    }
  }

  private settle(active: ActiveJob, result: JobResult): void {
    const { job } = active;
    const db = this.core.db;
    const end = { worker: this.worker, now: this.clock.now(), records: result.records };
    if (active.abortReason === 'lease-lost') return;
    if (result.status === 'cancelled' || active.abortReason !== null) {
      if (active.abortReason === 'stop') releaseJob(db, job, end);
      else cancelRunningJob(db, job, end);
      return;
    }
    if (result.status === 'completed') {
      completeJob(db, job, end);
      resumeProvider(db, job.provider);
      return;
    }
    const error = result.error ?? { code: 'internal', message: 'The sync failed without saying why.' };
    if (unreachable.has(error.code)) {
      const until = pauseProvider(db, job.provider, error.message, end.now, this.options.pause);
      deferJob(db, job, { ...end, until, error });
      this.core.log.warn(`${job.provider} is unreachable; its syncs wait until ${new Date(until).toISOString()}: ${error.message}`);
      return;
    }
    failAttempt(db, job, { ...end, error, backoff: this.options.backoff, random: this.options.random });
  }

  private changed(): void {
    this.core.events.emit('data.changed', { area: 'sync-queue' });
  }
}
