import type { Db } from '../store/database.ts';
import type { RecordIssue } from '../providers/record-problems.ts';
import type { HistoryStatus } from './history.ts';
import { boundLimit } from '../store/statements.ts';

export interface HistoryEntry {
  id: number;
  jobId: number | null;
  provider: string;
  account: string | null;
  eventId: string | null;
  /** The event's (or RunSignUp race page's) name where this laptop has it synced. */
  eventName: string | null;
  syncType: string;
  status: HistoryStatus;
  records: number;
  /** Of `records`, those already stored exactly as the provider sent them: not rewritten, not queued for the hub. */
  unchanged: number;
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
  /** Records of the run stored with a NULL field or skipped; the first few of them in `problems`. */
  problemCount: number;
  problems: RecordIssue[];
}

const problemsShown = 20;

/** Recent sync_history rows, newest first, optionally those of one queue job. */
export function historyRows(db: Db, options: { limit: number; jobId?: number }): HistoryEntry[] {
  const rows = db
    .prepare(
      `SELECT id, job_id AS jobId, provider_name AS provider, account_label AS account, event_id AS eventId,
         (SELECT e.name FROM event_ids e WHERE e.source_provider = h.provider_name AND e.id = h.event_id LIMIT 1) AS eventName,
         sync_type AS syncType, status, records_processed AS records, records_unchanged AS unchanged, started_at AS startedAt,
         completed_at AS completedAt, error_message AS error,
         (SELECT count(*) FROM sync_problems p WHERE p.history_id = h.id) AS problemCount
       FROM sync_history h WHERE (? IS NULL OR job_id = ?) ORDER BY id DESC ${boundLimit('?')}`,
    )
    .all(options.jobId ?? null, options.jobId ?? null, options.limit) as Array<Omit<HistoryEntry, 'problems'>>;
  const problems = db.prepare(
    `SELECT record_id AS recordId, field, raw_value AS rawValue, problem, skipped FROM sync_problems
     WHERE history_id = ? ORDER BY id ${boundLimit('?')}`,
  );
  return rows.map((row) => ({
    ...row,
    problems:
      row.problemCount === 0
        ? []
        : (problems.all(row.id, problemsShown) as Array<Omit<RecordIssue, 'skipped'> & { skipped: number }>).map((p) => ({
            ...p,
            skipped: p.skipped === 1,
          })),
  }));
}

/** The name of an event (or RunSignUp race page) a sync or job names by id, where this laptop has it. */
export function syncedEventName(db: Db, provider: string, eventId: string | null): string | null {
  if (eventId === null) return null;
  const row = db.prepare('SELECT name FROM event_ids WHERE source_provider = ? AND id = ? LIMIT 1').get(provider, eventId) as { name: string | null } | undefined;
  return row?.name ?? null;
}
