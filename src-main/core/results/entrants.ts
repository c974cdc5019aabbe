import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import { competitionAge, type AgeBasis } from './age-basis.ts';
import { loadEntrantRaces } from './races.ts';

/** What placing needs to know of a registered participant beyond the result: the race and the age it competes at. */
export interface Entrant {
  participantId: string;
  raceId: string | null;
  raceName: string | null;
  age: number | null;
}

/**
 * Every registered participant of the event (walk-ups included), by participant id. The date of
 * birth and age come from unified_participants; without a usable date of birth its age is the
 * provider's own. Given `only`, just those participant ids are loaded.
 */
export function loadEntrants(db: Db, event: EventRef, basis: AgeBasis, only?: ReadonlySet<string>): Map<string, Entrant> {
  const races = loadEntrantRaces(db, event, only);
  const eventDay = event.eventDate === null ? null : event.eventDate.slice(0, 10);
  const rows = db
    .prepare(
      `SELECT participant_id AS participantId, date_of_birth AS dateOfBirth, age AS providerAge
       FROM unified_participants WHERE source_provider = ? AND event_id = ?`,
    )
    .iterate(event.sourceProvider, event.eventId) as IterableIterator<{ participantId: string; dateOfBirth: string | null; providerAge: number | null }>;
  const entrants = new Map<string, Entrant>();
  for (const row of rows) {
    if (only && !only.has(row.participantId)) continue;
    const race = races.get(row.participantId);
    entrants.set(row.participantId, {
      participantId: row.participantId,
      raceId: race?.raceId ?? null,
      raceName: race?.raceName ?? null,
      age: competitionAge(row, basis, { raceDate: race?.raceDate ?? eventDay, providerDate: race?.ageBaseDate ?? null }),
    });
  }
  return entrants;
}
