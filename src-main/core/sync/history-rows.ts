import type { Db } from '../store/database.ts';
import type { RecordIssue } from '../providers/record-problems.ts';

export interface HistoryEntry {
  id: number;
  jobId: number | null;
  provider: string;
  account: string | null;
  eventId: string | null;
  syncType: string;
  status: string;
  records: number;
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
         sync_type AS syncType, status, records_processed AS records, started_at AS startedAt,
         completed_at AS completedAt, error_message AS error,
         (SELECT count(*) FROM sync_problems WHERE history_id = sync_history.id) AS problemCount
       FROM sync_history WHERE (? IS NULL OR job_id = ?) ORDER BY id DESC LIMIT ?`,
    )
    .all(options.jobId ?? null, options.jobId ?? null, options.limit) as Array<Omit<HistoryEntry, 'problems'>>;
  const problems = db.prepare(
    `SELECT record_id AS recordId, field, raw_value AS rawValue, problem, skipped FROM sync_problems
     WHERE history_id = ? ORDER BY id LIMIT ?`,
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
