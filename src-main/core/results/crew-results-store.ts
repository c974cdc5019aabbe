import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import type { ResultStatus } from './status.ts';
import type { Placing } from './placings.ts';

/** One crew result as the results module works with it (crew_results, migration 0060). */
export interface CrewResult {
  participantId: string;
  bibNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  gender: string | null;
  age: number | null;
  ageGroup: string | null;
  chipTimeMs: number | null;
  gunTimeMs: number | null;
  /** Split name -> ms. */
  splits: Record<string, number>;
  status: ResultStatus;
  overallPlace: number | null;
  genderPlace: number | null;
  ageGroupPlace: number | null;
  importId: string | null;
}

interface CrewResultRow {
  participant_id: string;
  bib_number: string | null;
  first_name: string | null;
  last_name: string | null;
  gender: string | null;
  age: number | null;
  age_group: string | null;
  chip_time_ms: number | null;
  gun_time_ms: number | null;
  splits: string | null;
  status: ResultStatus;
  overall_place: number | null;
  gender_place: number | null;
  age_group_place: number | null;
  import_id: string | null;
}

const fromRow = (row: CrewResultRow): CrewResult => ({
  participantId: row.participant_id,
  bibNumber: row.bib_number,
  firstName: row.first_name,
  lastName: row.last_name,
  gender: row.gender,
  age: row.age,
  ageGroup: row.age_group,
  chipTimeMs: row.chip_time_ms,
  gunTimeMs: row.gun_time_ms,
  splits: row.splits === null ? {} : (JSON.parse(row.splits) as Record<string, number>),
  status: row.status,
  overallPlace: row.overall_place,
  genderPlace: row.gender_place,
  ageGroupPlace: row.age_group_place,
  importId: row.import_id,
});

const crewResultColumns = `participant_id, bib_number, first_name, last_name, gender, age, age_group, chip_time_ms, gun_time_ms,
       splits, status, overall_place, gender_place, age_group_place, import_id`;

export function loadCrewResults(db: Db, event: EventRef): CrewResult[] {
  const rows = db
    .prepare(`SELECT ${crewResultColumns} FROM crew_results WHERE source_provider = ? AND event_id = ?`)
    .all(event.sourceProvider, event.eventId) as CrewResultRow[];
  return rows.map(fromRow);
}

export function loadCrewResult(db: Db, event: EventRef, participantId: string): CrewResult | undefined {
  const row = db
    .prepare(`SELECT ${crewResultColumns} FROM crew_results WHERE source_provider = ? AND event_id = ? AND participant_id = ?`)
    .get(event.sourceProvider, event.eventId, participantId) as CrewResultRow | undefined;
  return row && fromRow(row);
}

/** Inserts or replaces one result; the hub learns of it through the outbox in the caller's transaction. */
export function writeCrewResult(db: Db, event: EventRef, result: CrewResult, timingPartnerId: number | null): void {
  db.prepare(
    `INSERT INTO crew_results (timing_partner_id, source_provider, event_id, participant_id, bib_number, first_name, last_name,
       gender, age, age_group, chip_time_ms, gun_time_ms, splits, status, overall_place, gender_place, age_group_place, import_id, updated_at)
     VALUES (@timing_partner_id, @source_provider, @event_id, @participant_id, @bib_number, @first_name, @last_name,
       @gender, @age, @age_group, @chip_time_ms, @gun_time_ms, @splits, @status, @overall_place, @gender_place, @age_group_place, @import_id,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     ON CONFLICT (source_provider, event_id, participant_id) DO UPDATE SET
       timing_partner_id = excluded.timing_partner_id, bib_number = excluded.bib_number, first_name = excluded.first_name,
       last_name = excluded.last_name, gender = excluded.gender, age = excluded.age, age_group = excluded.age_group,
       chip_time_ms = excluded.chip_time_ms, gun_time_ms = excluded.gun_time_ms, splits = excluded.splits, status = excluded.status,
       overall_place = excluded.overall_place, gender_place = excluded.gender_place, age_group_place = excluded.age_group_place,
       import_id = excluded.import_id, updated_at = excluded.updated_at`,
  ).run({
    timing_partner_id: timingPartnerId,
    source_provider: event.sourceProvider,
    event_id: event.eventId,
    participant_id: result.participantId,
    bib_number: result.bibNumber,
    first_name: result.firstName,
    last_name: result.lastName,
    gender: result.gender,
    age: result.age,
    age_group: result.ageGroup,
    chip_time_ms: result.chipTimeMs,
    gun_time_ms: result.gunTimeMs,
    splits: Object.keys(result.splits).length === 0 ? null : JSON.stringify(result.splits),
    status: result.status,
    overall_place: result.overallPlace,
    gender_place: result.genderPlace,
    age_group_place: result.ageGroupPlace,
    import_id: result.importId,
  });
}

/** A result's places and the age they were computed at (the event's age basis decides it). */
export type StoredPlacing = Placing & { age: number | null };

/**
 * Stores recomputed places and ages. Only rows whose values changed are written (and queued for
 * the hub): the hub row is replaced by the laptop's current row, so earlier places there are
 * overwritten.
 */
export function writePlacings(db: Db, event: EventRef, results: readonly CrewResult[], placings: Map<string, StoredPlacing>): number {
  const update = db.prepare(
    `UPDATE crew_results SET overall_place = ?, gender_place = ?, age = ?, age_group = ?, age_group_place = ?,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE source_provider = ? AND event_id = ? AND participant_id = ?`,
  );
  let changed = 0;
  for (const result of results) {
    const placing = placings.get(result.participantId);
    if (!placing) continue;
    if (
      placing.overallPlace === result.overallPlace &&
      placing.genderPlace === result.genderPlace &&
      placing.age === result.age &&
      placing.ageGroup === result.ageGroup &&
      placing.ageGroupPlace === result.ageGroupPlace
    ) {
      continue;
    }
    update.run(placing.overallPlace, placing.genderPlace, placing.age, placing.ageGroup, placing.ageGroupPlace, event.sourceProvider, event.eventId, result.participantId);
    changed++;
  }
  return changed;
}
