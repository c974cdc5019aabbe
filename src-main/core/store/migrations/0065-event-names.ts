import type { Migration } from './types.ts';

/*
 * How every screen names and counts events, defined once. unified_events has one row per
 * provider event, except Race Roster, whose rows are the sub-events (distances) of an event:
 * (event_id, race_id), named "Event › Sub-event" by the sync, with race_name holding the city.
 * Everything the venue does (check-ins, bib uniqueness, walk-ups, walk-up ranges, results) is
 * keyed by (source_provider, event_id), so:
 *
 *   event_rows    one row per unified_events row, each distinct: sub_event_id is Race Roster's
 *                 race_id (NULL elsewhere), row_name the row's own name ("Lakeshore Tri › Relay",
 *                 RunSignUp "City Run 2026 › 5K"), race_name the level above the row (RunSignUp's
 *                 race page, Race Roster's event; never Race Roster's city), event_title the
 *                 name of the (provider, event_id) event the row belongs to.
 *   event_titles  one row per (source_provider, event_id): what pickers, counters and joins by
 *                 event use. Joining unified_events by event_id instead multiplied every Race
 *                 Roster participant and event by its number of sub-events.
 *
 *   event_ids     every id a sync names (sync_history.event_id) with its name: an event, or a
 *                 RunSignUp race page (the group its events are synced by).
 *
 * Race Roster names are cut at the first " › ": the sync writes `${event} › ${subEvent}`.
 */
const runsignupName = `race_name || ' › ' || event_name`;
const isRunsignupDistance = `source_provider = 'runsignup' AND race_name IS NOT NULL AND event_name IS NOT NULL`;
const isRaceRosterSub = `source_provider = 'raceroster' AND instr(event_name, ' › ') > 0`;

export const eventNames: Migration = {
  version: 65,
  name: 'event-names',
  up: /* sql */ `
CREATE VIEW event_rows AS
SELECT source_provider, event_id,
       CASE WHEN source_provider = 'raceroster' THEN race_id END AS sub_event_id,
       CASE WHEN ${isRunsignupDistance} THEN ${runsignupName} ELSE coalesce(event_name, race_name) END AS row_name,
       CASE WHEN ${isRaceRosterSub} THEN substr(event_name, 1, instr(event_name, ' › ') - 1)
            WHEN source_provider = 'raceroster' THEN NULL ELSE race_name END AS race_name,
       CASE WHEN ${isRunsignupDistance} THEN ${runsignupName}
            WHEN ${isRaceRosterSub} THEN substr(event_name, 1, instr(event_name, ' › ') - 1)
            ELSE coalesce(event_name, race_name) END AS event_title,
       event_date, race_id, fetched_date, credentials_used
FROM unified_events;

CREATE VIEW event_titles AS
SELECT source_provider, event_id, min(event_title) AS event_title, min(event_date) AS event_date
FROM event_rows
GROUP BY source_provider, event_id;

CREATE VIEW event_ids AS
SELECT source_provider, event_id AS id, event_title AS name FROM event_titles
UNION ALL
SELECT 'runsignup', race_id, min(race_name) FROM event_rows
WHERE source_provider = 'runsignup' AND race_id IS NOT NULL
  AND race_id NOT IN (SELECT event_id FROM event_titles WHERE source_provider = 'runsignup')
GROUP BY race_id;
`,
};
