import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import type { EventParticipant } from './event-participants.ts';
import { loadCrewResult, writeCrewResult, type CrewResult } from './crew-results-store.ts';
import { readEventResultSettings } from './event-settings.ts';
import { loadEntrants } from './entrants.ts';
import type { ResultLine } from './result-row.ts';

/*
 * Re-imports merge into what is known: a blank time or split in a later file keeps the earlier
 * value (interim files are often exported before every mat was read). A stated status wins;
 * otherwise a row with a time is a finisher.
 */
export function mergeResult(known: CrewResult | undefined, line: ResultLine, participant: EventParticipant): CrewResult | null {
  const chipTimeMs = line.chipTimeMs ?? known?.chipTimeMs ?? null;
  const gunTimeMs = line.gunTimeMs ?? known?.gunTimeMs ?? null;
  const splits = { ...(known?.splits ?? {}), ...line.splits };
  const status = line.status ?? (line.chipTimeMs !== null || line.gunTimeMs !== null ? 'FIN' : known?.status);
  if (!status) return null;
  return {
    participantId: participant.participantId,
    bibNumber: participant.bibNumber,
    firstName: participant.firstName,
    lastName: participant.lastName,
    gender: participant.gender,
    age: participant.age,
    ageGroup: known?.ageGroup ?? null,
    chipTimeMs,
    gunTimeMs,
    splits,
    status,
    overallPlace: known?.overallPlace ?? null,
    genderPlace: known?.genderPlace ?? null,
    ageGroupPlace: known?.ageGroupPlace ?? null,
    importId: known?.importId ?? null,
  };
}

export function sameResult(a: CrewResult, b: CrewResult): boolean {
  return (
    a.bibNumber === b.bibNumber &&
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    a.gender === b.gender &&
    a.age === b.age &&
    a.chipTimeMs === b.chipTimeMs &&
    a.gunTimeMs === b.gunTimeMs &&
    a.status === b.status &&
    JSON.stringify(sortedEntries(a.splits)) === JSON.stringify(sortedEntries(b.splits))
  );
}

export const sortedEntries = (record: Record<string, number>) => Object.entries(record).sort(([x], [y]) => x.localeCompare(y));

/**
 * Writes what one line says as a participant's result, merged into what is known; false when it
 * changes nothing. The caller recomputes the event's places.
 */
export function writeLineResult(db: Db, event: EventRef, line: ResultLine, participant: EventParticipant, importId: string | null, timingPartnerId: number | null): boolean {
  const known = loadCrewResult(db, event, participant.participantId);
  const entrant = loadEntrants(db, event, readEventResultSettings(db, event).ageBasis, new Set([participant.participantId])).get(participant.participantId);
  const result = mergeResult(known, line, { ...participant, age: entrant?.age ?? participant.age });
  if (result === null || (known && sameResult(known, result))) return false;
  writeCrewResult(db, event, { ...result, importId }, timingPartnerId);
  return true;
}

export const fullName = (p: { firstName: string | null; lastName: string | null }) => [p.firstName, p.lastName].filter(Boolean).join(' ') || '(no name)';
