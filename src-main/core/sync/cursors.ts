import type { Db } from '../store/database.ts';

export interface CursorKey {
  provider: string;
  account: string;
  syncType: string;
  eventId: string;
}

export function readCursor(db: Db, key: CursorKey): string | null {
  const row = db
    .prepare(
      `SELECT cursor FROM sync_cursors WHERE provider_name = ? AND account_label = ? AND sync_type = ? AND event_id = ?`,
    )
    .get(key.provider, key.account, key.syncType, key.eventId) as { cursor: string } | undefined;
  return row?.cursor ?? null;
}

export function writeCursor(db: Db, key: CursorKey, cursor: string): void {
  db.prepare(
    `INSERT INTO sync_cursors (provider_name, account_label, sync_type, event_id, cursor) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (provider_name, account_label, sync_type, event_id)
     DO UPDATE SET cursor = excluded.cursor, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(key.provider, key.account, key.syncType, key.eventId, cursor);
}
