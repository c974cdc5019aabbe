import type { Core } from '../core.ts';
import type { ProviderName } from '../providers/types.ts';
import type { SyncType } from './history.ts';
import type { JobProgress, SyncJob } from './job-queue.ts';
import { runSync, type SyncSummary } from './run-sync.ts';

export interface JobControl {
  /** Aborted on cancel, on a lost lease, and when the scheduler stops. */
  signal: AbortSignal;
  /** Shown as the progress events' runId, so a screen can tie progress bars to queue rows. */
  runId: string;
  /** Called at every page boundary, after the page is stored. */
  onProgress(progress: JobProgress): void;
}

export interface JobResult {
  status: 'completed' | 'cancelled' | 'failed';
  records: number;
  error?: { code: string; message: string };
}

/** Does the work of one job attempt; the scheduler owns the queue row around it. */
export type JobExecutor = (job: SyncJob, control: JobControl) => Promise<JobResult>;

/** What runSync fetches for each kind of job: an 'events' job only refreshes the event listing. */
function kindsFor(syncType: SyncType): Array<'participants' | 'results'> {
  return syncType === 'events' ? [] : [syncType];
}

/**
 * A job is one runSync call: one account, one event (or all of them), one kind of data.
 * onSummary receives runSync's own report, for callers that show it (`racedesk sync`).
 */
export function runSyncExecutor(core: Core, onSummary?: (job: SyncJob, summary: SyncSummary) => void): JobExecutor {
  return async (job, control) => {
    const summary = await runSync(core, {
      provider: job.provider as ProviderName,
      account: job.account,
      events: job.eventId === null ? undefined : [job.eventId],
      kinds: kindsFor(job.syncType),
      full: job.full,
      signal: control.signal,
      runId: control.runId,
      onProgress: (p) =>
        control.onProgress({ phase: p.phase, eventId: p.eventId, eventName: p.eventName, page: p.page, pageCount: p.pageCount, records: p.records }),
    });
    onSummary?.(job, summary);
    const records =
      job.syncType === 'events' ? summary.eventsListed : summary.outcomes.reduce((sum, o) => sum + o.records + o.deleted, 0);
    if (summary.status === 'cancelled') return { status: 'cancelled', records };
    // Odd records stored with a NULL field (or skipped) are reported with the run, not retried:
    // the provider would send them the same way again.
    if (summary.status === 'success' || (summary.status === 'partial' && summary.outcomes.every((o) => o.errorCode === null))) {
      return { status: 'completed', records };
    }
    const failure = summary.outcomes.find((o) => o.status !== 'success' && o.errorCode !== 'cancelled');
    return {
      status: 'failed',
      records,
      error: {
        code: failure?.errorCode ?? 'provider_error',
        message: failure ? `${failure.eventName} (${failure.eventId}) ${failure.kind}: ${failure.error}` : `Sync ${summary.status}.`,
      },
    };
  };
}
