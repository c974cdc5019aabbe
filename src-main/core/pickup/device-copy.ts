import type { Db } from '../store/database.ts';
import { inScope, scopeParameter, type EventScope } from '../lookup/scope.ts';
import { eventNameLookup, toVenueParticipant, venueColumns, type VenueRow } from './participants.ts';
import type { VenueParticipant } from './schemas.ts';
import { boundLimit } from '../store/statements.ts';

/*
 * The copy of its events' runners a joined device keeps (IndexedDB, src-renderer/src/offline/) so
 * the table keeps looking runners up when the Wi-Fi drops. Every runner of the scope with their
 * current bib and check-in, as pickup.participant shows them; the device folds the names itself
 * with the same rules (store/sql-fold.ts) the station's search index uses.
 */
export const deviceCopyLimit = 50_000;

export interface DeviceCopy {
  rows: VenueParticipant[];
  /** False when the scope holds more than deviceCopyLimit runners: the device copy is only a part. */
  complete: boolean;
  takenAt: string;
}

export function deviceCopy(db: Db, scope: EventScope | undefined): DeviceCopy {
  const takenAt = new Date().toISOString();
  const rows = db
    .prepare(
      `SELECT ${venueColumns} FROM unified_participants
       WHERE ${inScope('', { provider: 'source_provider', eventId: 'event_id' })}
       ORDER BY source_provider, event_id, participant_id ${boundLimit('@limit')}`,
    )
    .all({ scope: scopeParameter(scope), limit: deviceCopyLimit + 1 }) as VenueRow[];
  const nameOf = eventNameLookup(db);
  const kept = rows.slice(0, deviceCopyLimit).map((row) => toVenueParticipant(row, nameOf(row.source_provider, row.event_id)));
  return { rows: kept, complete: rows.length <= deviceCopyLimit, takenAt };
}
