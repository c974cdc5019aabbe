import type { SyncProgress } from '../../../../src-main/core/api/events.ts';

/*
 * Running sync jobs as the 'sync.progress' events describe them. A run emits many events (one
 * per page of each event); the page keeps the latest per run and shows it as a progress bar.
 */
export interface RunningJob {
  runId: string;
  provider: string;
  account: string;
  phase: SyncProgress['phase'];
  eventName: string | null;
  page: number;
  pageCount: number | null;
  records: number;
  message: string | null;
  finished: boolean;
}

export const finishedPhases: ReadonlySet<SyncProgress['phase']> = new Set(['done', 'failed', 'cancelled']);

export function applyProgress(jobs: readonly RunningJob[], progress: SyncProgress): RunningJob[] {
  const existing = jobs.find((job) => job.runId === progress.runId);
  const finished = finishedPhases.has(progress.phase);
  const next: RunningJob = {
    runId: progress.runId,
    provider: progress.provider,
    account: progress.account,
    phase: progress.phase,
    // The run's closing event has no event name: keep the last one shown.
    eventName: progress.eventName ?? existing?.eventName ?? null,
    page: progress.page,
    pageCount: progress.pageCount,
    // Records add up over the events of a run; the closing event carries the run's total.
    records: finished ? progress.records : Math.max(progress.records, 0),
    message: progress.message ?? null,
    finished,
  };
  return existing ? jobs.map((job) => (job.runId === progress.runId ? next : job)) : [...jobs, next];
}

/** 0–100 when the provider told how many pages there are, else null (an indeterminate bar). */
export function progressPercent(job: RunningJob): number | null {
  if (job.finished) return 100;
  if (!job.pageCount || job.pageCount <= 0) return null;
  return Math.min(100, Math.round((job.page / job.pageCount) * 100));
}

const phaseWords: Record<SyncProgress['phase'], string> = {
  events: 'Listing events',
  participants: 'Fetching participants',
  results: 'Fetching results',
  done: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function describeJob(job: RunningJob): string {
  const what = phaseWords[job.phase];
  const where = job.eventName && !job.finished ? ` — ${job.eventName}` : '';
  const page = !job.finished && job.page > 0 ? `, page ${job.page}${job.pageCount ? ` of ${job.pageCount}` : ''}` : '';
  const records = job.records > 0 ? ` · ${job.records.toLocaleString()} records` : '';
  return `${what}${where}${page}${records}`;
}

/** Status words of sync_history / sync_queue rows for people. */
export function statusWords(status: string): { label: string; color: string } {
  switch (status) {
    case 'success':
    case 'completed':
      return { label: 'Done', color: 'teal' };
    case 'partial':
      return { label: 'Partly done', color: 'yellow' };
    case 'failed':
      return { label: 'Failed', color: 'red' };
    case 'interrupted':
      return { label: 'Interrupted', color: 'orange' };
    case 'running':
      return { label: 'Running', color: 'blue' };
    case 'pending':
      return { label: 'Waiting', color: 'gray' };
    case 'cancelled':
      return { label: 'Cancelled', color: 'gray' };
    default:
      return { label: status, color: 'gray' };
  }
}

/** Error codes of the API in words a crew chief can act on, ahead of the detailed message. */
export function errorCodeWords(code: string | null | undefined): string | null {
  switch (code) {
    case 'auth_failed':
      return 'The provider refused the account’s credentials — check them in Settings.';
    case 'network_error':
      return 'The provider could not be reached — the venue may be offline; it will be retried.';
    case 'rate_limited':
      return 'The provider asked us to slow down — it will be retried later.';
    case 'provider_error':
      return 'The provider sent data RaceDesk could not read.';
    case 'cancelled':
      return 'The sync was cancelled.';
    default:
      return null;
  }
}
