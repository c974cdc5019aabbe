import type { Core } from '../core.ts';
import { findAccount } from '../accounts/accounts.ts';
import { getProvider } from '../providers/registry.ts';
import type { ProviderName } from '../providers/types.ts';
import { enqueueJob, type SyncJob } from './job-queue.ts';
import type { SyncSummary } from './run-sync.ts';
import { Scheduler } from './scheduler.ts';
import { runSyncExecutor } from './sync-executor.ts';

export interface QueuedSyncRequest {
  provider: ProviderName;
  account: string;
  /** Event or race ids; empty = every event of the account. */
  events?: readonly string[];
  full?: boolean;
  signal?: AbortSignal;
}

/** A sync run's summary, told by the queue jobs it ran as instead of one run id. */
export interface QueuedSyncSummary extends Omit<SyncSummary, 'runId'> {
  /** The queue jobs this sync ran as (see `racedesk queue`, `racedesk history --job`). */
  jobs: SyncJob[];
}

/**
 * A sync asked for now (`racedesk sync`, a "Sync now" button): queued at the top priority, then
 * run by this process, so it shares the queue's rules with the scheduled syncs: one job per
 * account at a time, sync_history per attempt, and a failed job stays in the queue for its
 * retries. Only these jobs are run here; others wait for the app's or the station's scheduler.
 */
export async function syncThroughQueue(core: Core, request: QueuedSyncRequest): Promise<QueuedSyncSummary> {
  const definition = getProvider(request.provider);
  findAccount(core, definition.name, request.account);
  const kinds = definition.tables.results ? (['participants', 'results'] as const) : (['participants'] as const);
  const targets = request.events && request.events.length > 0 ? request.events : [null];
  const partnerId = core.settings.read().partner?.id ?? null;
  const now = Date.now();
  const ids = targets.flatMap((eventId) =>
    kinds.map(
      (syncType) =>
        enqueueJob(
          core.db,
          { provider: definition.name, account: request.account, syncType, eventId, full: request.full, priority: 1, timingPartnerId: partnerId },
          now,
        ).id,
    ),
  );

  const summaries = new Map<number, SyncSummary>();
  const scheduler = new Scheduler(core, { executor: runSyncExecutor(core, (job, summary) => summaries.set(job.id, summary)) });
  const jobs = await scheduler.runUntilSettled(ids, request.signal);

  const outcomes = jobs.flatMap((job) => summaries.get(job.id)?.outcomes ?? []);
  const eventsListed = Math.max(0, ...[...summaries.values()].map((s) => s.eventsListed));
  const completed = jobs.filter((j) => j.status === 'completed').length;
  const status: QueuedSyncSummary['status'] = jobs.some((j) => j.status === 'cancelled')
    ? 'cancelled'
    : completed === jobs.length
      ? outcomes.some((o) => o.status !== 'success')
        ? 'partial'
        : 'success'
      : completed > 0 || outcomes.some((o) => o.records > 0)
        ? 'partial'
        : 'failed';
  return { provider: definition.name, account: request.account, status, eventsListed, outcomes, jobs };
}
