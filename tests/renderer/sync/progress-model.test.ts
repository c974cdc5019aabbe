import { describe, expect, it } from 'vitest';
import { applyProgress, describeJob, errorCodeWords, progressPercent, type RunningJob } from '../../../src-renderer/src/pages/sync/progress-model.ts';
import type { SyncProgress } from '../../../src-main/core/api/events.ts';

const progress = (overrides: Partial<SyncProgress>): SyncProgress => ({
  runId: 'run-1',
  provider: 'runsignup',
  account: 'Main',
  eventId: '7001',
  eventName: '5K',
  phase: 'participants',
  page: 1,
  pageCount: 4,
  records: 100,
  ...overrides,
});

describe('sync progress bars', () => {
  it('keeps one bar per run, updated in place', () => {
    let jobs: RunningJob[] = [];
    jobs = applyProgress(jobs, progress({ page: 1 }));
    jobs = applyProgress(jobs, progress({ page: 2, records: 200 }));
    jobs = applyProgress(jobs, progress({ runId: 'run-2', account: 'Other', page: 1 }));
    expect(jobs.map((j) => [j.runId, j.page])).toEqual([
      ['run-1', 2],
      ['run-2', 1],
    ]);
    expect(progressPercent(jobs[0])).toBe(50);
    expect(describeJob(jobs[0])).toBe('Fetching participants — 5K, page 2 of 4 · 200 records');
  });

  it('shows an indeterminate bar when the provider does not say how many pages', () => {
    const [job] = applyProgress([], progress({ pageCount: null, page: 3 }));
    expect(progressPercent(job)).toBeNull();
  });

  it('finishes a run at 100% with its message, keeping the last event name', () => {
    let jobs = applyProgress([], progress({}));
    jobs = applyProgress(jobs, progress({ phase: 'failed', eventName: null, eventId: null, page: 0, pageCount: null, records: 100, message: 'RunSignUp refused the API key.' }));
    expect(jobs[0]).toMatchObject({ finished: true, eventName: '5K', message: 'RunSignUp refused the API key.' });
    expect(progressPercent(jobs[0])).toBe(100);
  });

  it('explains error codes in words a crew chief can act on', () => {
    expect(errorCodeWords('auth_failed')).toMatch(/Settings/);
    expect(errorCodeWords('network_error')).toMatch(/retried/);
    expect(errorCodeWords('something_else')).toBeNull();
  });
});
