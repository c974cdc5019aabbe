import type { Db } from '../store/database.ts';
import type { KnownEvent } from '../providers/types.ts';

interface StoredRow {
  event_id: string;
  race_id: string | null;
  event_name: string | null;
  event_date: string | null;
}

/**
 * What earlier syncs stored about the events a run wants: each id asked for (an event id, a group
 * id such as a RunSignUp race, or an id never seen, which the provider may still know), or, when
 * none is asked for, every stored event of the account that starts on or after `startDate`.
 */
export function storedEvents(db: Db, provider: string, account: string, wanted: readonly string[], startDate: string): KnownEvent[] {
  const rows = db
    .prepare(
      `SELECT event_id, race_id, event_name, event_date FROM unified_events
       WHERE source_provider = ? AND (credentials_used = ? OR credentials_used IS NULL)`,
    )
    .all(provider, account) as StoredRow[];
  const known = (row: StoredRow, id: string): KnownEvent => ({
    id,
    eventId: row.event_id,
    groupId: row.race_id,
    name: row.event_name,
    startsAt: row.event_date,
  });
  if (wanted.length === 0) {
    return rows.filter((row) => row.event_date !== null && row.event_date.slice(0, 10) >= startDate).map((row) => known(row, row.event_id));
  }
  return wanted.flatMap((id) => {
    const event = rows.find((row) => row.event_id === id);
    if (event) return [known(event, id)];
    const group = rows.filter((row) => row.race_id === id);
    if (group.length > 0) return group.map((row) => known(row, id));
    return [{ id, eventId: null, groupId: null, name: null, startsAt: null }];
  });
}
