import type { Db } from '../store/database.ts';

export interface ResultsEventRow {
  source_provider: string;
  event_id: string;
  event_name: string | null;
  event_date: string | null;
  /** RunSignUp and Race Roster nest events under a race: shown as "race › event". */
  race_name: string | null;
  crew_results: number;
}

/** Events the crew can import results for: those with crew results first, then newest first. */
export function listResultsEvents(db: Db): ResultsEventRow[] {
  return db
    .prepare(
      `SELECT e.source_provider, e.event_id, e.event_name, e.event_date, e.race_name,
              (SELECT count(*) FROM crew_results c WHERE c.source_provider = e.source_provider AND c.event_id = e.event_id) AS crew_results
       FROM unified_events e
       ORDER BY crew_results = 0, e.event_date DESC, e.event_name`,
    )
    .all() as ResultsEventRow[];
}
