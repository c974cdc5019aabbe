import type { Db } from '../store/database.ts';
import type { RecordIssue } from '../providers/record-problems.ts';

export type SyncType = 'events' | 'participants' | 'results';
/** A run's outcome; 'interrupted': its process died mid-run (job-queue.ts closeInterruptedHistory). */
export const historyStatuses = ['running', 'success', 'failed', 'partial', 'interrupted'] as const;
export type HistoryStatus = (typeof historyStatuses)[number];

export interface SyncHistoryRow {
  id: number;
  timing_partner_id: number | null;
  provider_name: string;
  sync_type: SyncType;
  status: HistoryStatus;
  records_processed: number;
  /** Of records_processed, those the provider sent as the store already held them (nothing written). */
  records_unchanged: number;
  started_at: string | null;
  completed_at: string | null;
  error_message: string | null;
  account_label: string | null;
  event_id: string | null;
}

export function startHistory(
  db: Db,
  entry: { partnerId: number | null; provider: string; syncType: SyncType; account: string; eventId: string | null },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO sync_history (timing_partner_id, provider_name, sync_type, status, records_processed, started_at, account_label, event_id)
         VALUES (?, ?, ?, 'running', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?)`,
      )
      .run(entry.partnerId, entry.provider, entry.syncType, entry.account, entry.eventId).lastInsertRowid,
  );
}

export function finishHistory(
  db: Db,
  id: number,
  outcome: { status: Exclude<HistoryStatus, 'running' | 'interrupted'>; records: number; unchanged?: number; error?: string | null },
): void {
  db.prepare(
    `UPDATE sync_history SET status = ?, records_processed = ?, records_unchanged = ?, error_message = ?,
       completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
  ).run(outcome.status, outcome.records, outcome.unchanged ?? 0, outcome.error ?? null, id);
}


export function lastSyncPerAccount(
  db: Db,
): Array<{ provider_name: string; account_label: string; completed_at: string | null; status: HistoryStatus }> {
  return db
    .prepare(
      `SELECT provider_name, account_label, completed_at, status FROM sync_history h
       WHERE id = (SELECT max(id) FROM sync_history WHERE provider_name = h.provider_name AND account_label = h.account_label)
       ORDER BY provider_name, account_label`,
    )
    .all() as Array<{ provider_name: string; account_label: string; completed_at: string | null; status: HistoryStatus }>;
}

/** Keeps a run's odd records with its history row (call inside a transaction: one commit for the page's problems). */
export function recordProblems(db: Db, historyId: number, problems: readonly RecordIssue[]): void {
  const insert = db.prepare(
    'INSERT INTO sync_problems (history_id, record_id, field, raw_value, problem, skipped) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const p of problems) insert.run(historyId, p.recordId, p.field, p.rawValue, p.problem, p.skipped ? 1 : 0);
}
