import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';

/** One runner's result from each source that has one: the crew's own and the providers'. */
export interface SideBySideRow {
  participant_id: string;
  bib_number: string | null;
  first_name: string | null;
  last_name: string | null;
  results: Array<{ source_provider: string; time: string | null; gun_time: string | null; overall_place: number | null; status: string | null }>;
}

/**
 * Reads unified_results for the event: ChronoTrack and Copernico results (the provider's event id)
 * and the crew's ('crew' arm, same event id). Rows are joined by participant id, the provider's
 * stable id, never by name or bib. An event is its provider's event id under that provider, and
 * the 'crew' arm does not say whose event a result belongs to, so the crew's rows are those
 * crew_results holds for this provider's event: by the id alone another provider's event of the
 * same id lent its crew results.
 */
export function sideBySide(db: Db, event: EventRef): SideBySideRow[] {
  const rows = db
    .prepare(
      `SELECT source_provider, participant_id, bib_number, first_name, last_name, results_time, results_gun_time, overall_place, status
       FROM unified_results
       WHERE event_id = @eventId AND (source_provider = @provider OR source_provider = 'crew' AND participant_id IN
         (SELECT participant_id FROM crew_results WHERE source_provider = @provider AND event_id = @eventId))
       ORDER BY overall_place IS NULL, overall_place, bib_number`,
    )
    .all({ eventId: event.eventId, provider: event.sourceProvider }) as Array<{
    source_provider: string;
    participant_id: string;
    bib_number: string | null;
    first_name: string | null;
    last_name: string | null;
    results_time: string | null;
    results_gun_time: string | null;
    overall_place: number | null;
    status: string | null;
  }>;
  const byParticipant = new Map<string, SideBySideRow>();
  for (const row of rows) {
    const entry = byParticipant.get(row.participant_id) ?? {
      participant_id: row.participant_id,
      bib_number: row.bib_number,
      first_name: row.first_name,
      last_name: row.last_name,
      results: [],
    };
    entry.results.push({
      source_provider: row.source_provider,
      time: row.results_time,
      gun_time: row.results_gun_time,
      overall_place: row.overall_place,
      status: row.status,
    });
    byParticipant.set(row.participant_id, entry);
  }
  return [...byParticipant.values()];
}
