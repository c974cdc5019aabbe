import { RaceDeskError } from '../errors.ts';
import type { Db } from '../store/database.ts';

/** A provider event as unified_events shows it: results belong to one provider's event. */
export interface EventRef {
  sourceProvider: string;
  eventId: string;
  eventName: string | null;
  eventDate: string | null;
}

/**
 * Finds the event the crew means. Event ids are the provider's own, so two providers could share
 * one; then the provider has to be named. Named as everywhere (event_titles, store migration 0065):
 * a Race Roster event once for all its sub-events, a RunSignUp event with its race ("City Run › 10K").
 */
export function resolveEvent(db: Db, eventId: string, provider?: string): EventRef {
  const rows = db
    .prepare(
      `SELECT source_provider, event_id, event_title AS event_name, event_date FROM event_titles
       WHERE event_id = ? AND (? IS NULL OR source_provider = ?)`,
    )
    .all(eventId, provider ?? null, provider ?? null) as Array<{ source_provider: string; event_id: string; event_name: string | null; event_date: string | null }>;
  if (rows.length === 0) {
    throw new RaceDeskError(
      'not_found',
      `No event "${eventId}"${provider ? ` from ${provider}` : ''} in the local store. Sync the account that holds it first (racedesk sync), and use the event id that racedesk lookup shows.`,
    );
  }
  if (rows.length > 1) {
    throw new RaceDeskError(
      'conflict',
      `Event id "${eventId}" exists at ${rows.map((r) => r.source_provider).join(' and ')}; say which provider you mean (--provider).`,
    );
  }
  const [row] = rows;
  return { sourceProvider: row.source_provider, eventId: row.event_id, eventName: row.event_name, eventDate: row.event_date };
}
