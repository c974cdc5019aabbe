/** Events the core streams to the shells (progress bars, live counters, status). */
export interface SyncProgress {
  runId: string;
  provider: string;
  account: string;
  eventId: string | null;
  eventName: string | null;
  phase: 'events' | 'participants' | 'results' | 'done' | 'failed' | 'cancelled';
  page: number;
  pageCount: number | null;
  records: number;
  message?: string;
}

export interface CoreEvents {
  'sync.progress': SyncProgress;
  /** Something changed that open screens should re-read (counters, tables, status). */
  'data.changed': { area: string };
}
