import type { Db } from '../store/database.ts';
import type { Counters, EventCounters } from './schemas.ts';
import { eventName } from './participants.ts';
import { inScope, scopeParameter, type EventScope } from '../lookup/scope.ts';

/*
 * Checked in / registered per event, counted on participant_search (one row per registration of
 * any provider, walk-ups included under their event's provider) joined to the check-in state, so
 * a runner removed by a sync stops counting even if they had been checked in.
 */
interface CountRow {
  provider: string;
  event_id: string;
  registered: number;
  checked_in: number;
  walk_ups: number;
}

/**
 * The participant_state row `s` holding the check-in of the participant_search row `ps` (a
 * walk-up's venue changes are keyed 'local'): every count and filter by check-in joins this way.
 */
export const checkInStateOfSearchRow = `s.source_provider = CASE WHEN ps.source_rowid < 0 THEN 'local' ELSE ps.provider END
   AND s.participant_id = ps.participant_id AND s.field = 'checked_in'`;

/** Registered, checked in and walk-ups over participant_search `ps` LEFT JOINed to `s` on checkInStateOfSearchRow. */
export const checkInCounts = `count(*) AS registered,
         coalesce(sum(s.value = '1'), 0) AS checked_in, coalesce(sum(ps.source_rowid < 0), 0) AS walk_ups`;

const countSql = (where: string) => `
  SELECT ps.provider, ps.event_id, ${checkInCounts}
  FROM participant_search ps
  LEFT JOIN participant_state s ON ${checkInStateOfSearchRow}
  ${where}
  GROUP BY ps.provider, ps.event_id`;

export function eventCounters(db: Db, provider: string, eventId: string): EventCounters {
  const row = db.prepare(countSql('WHERE ps.provider = ? AND ps.event_id = ?')).get(provider, eventId) as CountRow | undefined;
  return {
    provider,
    eventId,
    eventName: eventName(db, provider, eventId),
    registered: row?.registered ?? 0,
    checkedIn: row?.checked_in ?? 0,
    walkUps: row?.walk_ups ?? 0,
  };
}

/**
 * Every synced event (also those nobody registered for yet), or only those the filter and the table's scope name:
 * one per (provider, event), the unit check-ins belong to, so a Race Roster event counts once, not once per sub-event.
 */
export function counters(db: Db, filter: { provider?: string; eventId?: string; scope?: EventScope }): Counters {
  const params = { provider: filter.provider ?? null, eventId: filter.eventId ?? null, scope: scopeParameter(filter.scope) };
  const counts = db
    .prepare(countSql(`WHERE (@provider IS NULL OR ps.provider = @provider) AND (@eventId IS NULL OR ps.event_id = @eventId) AND ${inScope('ps.')}`))
    .all(params) as CountRow[];
  const events = db
    .prepare(
      `SELECT source_provider AS provider, event_id, event_title FROM event_titles
       WHERE (@provider IS NULL OR source_provider = @provider) AND (@eventId IS NULL OR event_id = @eventId)
         AND ${inScope('', { provider: 'source_provider', eventId: 'event_id' })}
       ORDER BY event_date, event_title`,
    )
    .all(params) as Array<{ provider: string; event_id: string; event_title: string | null }>;
  const byEvent = new Map(counts.map((c) => [`${c.provider}\u0000${c.event_id}`, c]));
  const result: EventCounters[] = events.map((e) => {
    const c = byEvent.get(`${e.provider}\u0000${e.event_id}`);
    byEvent.delete(`${e.provider}\u0000${e.event_id}`);
    return {
      provider: e.provider,
      eventId: e.event_id,
      eventName: e.event_title,
      registered: c?.registered ?? 0,
      checkedIn: c?.checked_in ?? 0,
      walkUps: c?.walk_ups ?? 0,
    };
  });
  // Participants whose event row is missing (a partial sync) still count, under their event id.
  for (const c of byEvent.values()) {
    result.push({ provider: c.provider, eventId: c.event_id, eventName: null, registered: c.registered, checkedIn: c.checked_in, walkUps: c.walk_ups });
  }
  const total = result.reduce(
    (sum, e) => ({ registered: sum.registered + e.registered, checkedIn: sum.checkedIn + e.checkedIn, walkUps: sum.walkUps + e.walkUps }),
    { registered: 0, checkedIn: 0, walkUps: 0 },
  );
  return { events: result, total };
}
