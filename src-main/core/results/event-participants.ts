import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import { bibKey } from './result-row.ts';

/** A registered participant of the event, as unified_participants shows it (age already falls back to date of birth on race day). */
export interface EventParticipant {
  participantId: string;
  bibNumber: string;
  firstName: string | null;
  lastName: string | null;
  gender: string | null;
  age: number | null;
}

/**
 * Participants of the event with a bib, by bib key; a list longer than one is a bib handed out
 * twice. Given `bibKeys`, only those bibs are kept (an import needs only the bibs of its file).
 */
export function participantsByBib(db: Db, event: EventRef, bibKeys?: ReadonlySet<string>): Map<string, EventParticipant[]> {
  const rows = db
    .prepare(
      `SELECT participant_id AS participantId, bib_number AS bibNumber, first_name AS firstName, last_name AS lastName, gender, age
       FROM unified_participants
       WHERE source_provider = ? AND event_id = ? AND bib_number IS NOT NULL AND trim(bib_number) <> ''`,
    )
    .iterate(event.sourceProvider, event.eventId) as IterableIterator<EventParticipant>;
  const byBib = new Map<string, EventParticipant[]>();
  for (const row of rows) {
    const key = bibKey(row.bibNumber);
    if (bibKeys && !bibKeys.has(key)) continue;
    const same = byBib.get(key);
    if (same) same.push(row);
    else byBib.set(key, [row]);
  }
  return byBib;
}
