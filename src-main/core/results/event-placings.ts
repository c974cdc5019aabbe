import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import { loadCrewResults, writePlacings, type StoredPlacing } from './crew-results-store.ts';
import { readEventResultSettings } from './event-settings.ts';
import { loadEntrants } from './entrants.ts';
import { computePlacings } from './placings.ts';

/**
 * Recomputes every place of an event from its stored results, per race, with ages on the event's
 * basis; call inside the writer's transaction. A result whose participant is no longer registered
 * (moved away by a transfer) keeps the age it was stored with and counts as of no known race.
 */
export function recomputeEventPlacings(db: Db, event: EventRef): number {
  const settings = readEventResultSettings(db, event);
  const entrants = loadEntrants(db, event, settings.ageBasis);
  const results = loadCrewResults(db, event);
  const entries = results.map((r) => {
    const entrant = entrants.get(r.participantId);
    return {
      key: r.participantId,
      race: entrant ? entrant.raceId : null,
      gender: r.gender,
      age: entrant ? entrant.age : r.age,
      status: r.status,
      chipTimeMs: r.chipTimeMs,
      gunTimeMs: r.gunTimeMs,
    };
  });
  const placings = computePlacings(entries, {
    placeBy: settings.placeBy,
    brackets: settings.ageBrackets,
    excludeOverallPlaces: settings.excludeOverallPlaces,
  });
  const stored = new Map<string, StoredPlacing>();
  for (const entry of entries) stored.set(entry.key, { ...(placings.get(entry.key) as StoredPlacing), age: entry.age });
  return writePlacings(db, event, results, stored);
}
