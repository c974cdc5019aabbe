import type { Db } from '../store/database.ts';
import { wholeEventName } from './races.ts';

export interface ResultsEventRow {
  source_provider: string;
  event_id: string;
  event_name: string | null;
  event_date: string | null;
  /** RunSignUp nests events under a race page: shown as "race › event". */
  race_name: string | null;
  crew_results: number;
}

/**
 * Events the crew can import results for: those with crew results first, then newest first.
 * Race Roster's sub-events (one unified_events row each) are one event here: results are
 * imported for the whole event and placed per sub-event.
 */
export function listResultsEvents(db: Db): ResultsEventRow[] {
  const rows = db
    .prepare(
      `SELECT e.source_provider, e.event_id, min(e.event_name) AS event_name, min(e.event_date) AS event_date,
              CASE WHEN e.source_provider = 'runsignup' THEN min(e.race_name) END AS race_name,
              (SELECT count(*) FROM crew_results c WHERE c.source_provider = e.source_provider AND c.event_id = e.event_id) AS crew_results
       FROM unified_events e
       GROUP BY e.source_provider, e.event_id
       ORDER BY crew_results = 0, event_date DESC, event_name`,
    )
    .all() as ResultsEventRow[];
  return rows.map((row) => ({ ...row, event_name: wholeEventName(row.source_provider, row.event_name) }));
}
