import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import { loadCrewResults, writePlacings } from './crew-results-store.ts';
import { readEventResultSettings } from './event-settings.ts';
import { computePlacings } from './placings.ts';

/** Recomputes every place of an event from its stored results; call inside the writer's transaction. */
export function recomputeEventPlacings(db: Db, event: EventRef): number {
  const settings = readEventResultSettings(db, event);
  const results = loadCrewResults(db, event);
  const placings = computePlacings(
    results.map((r) => ({ key: r.participantId, gender: r.gender, age: r.age, status: r.status, chipTimeMs: r.chipTimeMs, gunTimeMs: r.gunTimeMs })),
    { placeBy: settings.placeBy, brackets: settings.ageBrackets },
  );
  return writePlacings(db, event, results, placings);
}
