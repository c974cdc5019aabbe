import type { Db } from './database.ts';
import { ageOn, durationFromMs, genderOf, storedDuration, unifiedStatus } from '../views/rules.ts';
import { eventScopedRunnerId } from './runner-id.ts';

/*
 * The local store's views, defined here once for the newest schema and recreated by migrate()
 * (store/database.ts) whenever a migration ran or a definition changed, instead of being copied into
 * the migrations that touch their tables. The rules they share with the hub's views come from
 * views/rules.ts.
 *
 * unified_events / unified_participants / unified_results cover every provider with one meaning
 * per column:
 *   gender  'M' | 'F' | 'X' (non-binary) | NULL, every provider's spelling folded
 *   age     the provider's own age when it gives one, else computed from date of birth on the
 *           event's date (RunSignUp's age_calc_base_date when set)
 *   city / state  from each provider's address shape
 *   participant_id  the provider's stable registration id, as text; a Haku or Copernico runner's
 *                   is `<event_id>:<provider's id>` (store/runner-id.ts says why), in
 *                   unified_results too, so crew and Copernico results of one runner meet
 *   source_rowid    the row's rowid in its provider table: lookups fetch a hit by
 *                   (source_provider, source_rowid), which SQLite pushes into the matching arm
 *                   of the UNION as a rowid seek (participant_id is a CAST for integer ids and
 *                   would scan); a walk-up's is -rowid of local_participants
 *   status  finished / dnf / dns / dq where the provider's word maps to one; other words
 *           (Copernico's notstarted, started) pass through in lower case. ChronoTrack results
 *           carry no status: it comes from the entry's entry_status, and a full-course time
 *           without one means finished.
 *   results_gun_time  the gun time: Copernico's gun_time, never its net total_time.
 *   gender_place / age_group_place  ChronoTrack's SEX and AGE bracket places, the crew's own;
 *           Copernico's category place is its age-group place (its categories are age groups)
 *           and it stores no gender place.
 *   times   'H:MM:SS.mmm'; crew results keep integer milliseconds.
 *
 * unified_participants carries the venue's state too: a bib changed at the venue overrides the
 * provider's in bib_number (registered_bib keeps the provider's), and checked_in / checked_in_at /
 * checked_in_by come from participant_state; walk-ups (local_participants) appear under their
 * event's provider with is_walk_up = 1, once each: a walk-up belongs to the whole event (event_titles),
 * and joined to unified_events a Race Roster walk-up was listed, and counted, once per sub-event.
 *
 * How every screen names and counts events:
 *   event_rows    one row per unified_events row, each distinct: sub_event_id is Race Roster's
 *                 race_id (NULL elsewhere), row_name the row's own name ("Lakeshore Tri › Relay",
 *                 RunSignUp "City Run 2026 › 5K"), race_name the level above the row (RunSignUp's
 *                 race page, Race Roster's event; never Race Roster's city), event_title the
 *                 name of the (provider, event_id) event the row belongs to.
 *   event_titles  one row per (source_provider, event_id): what pickers, counters and joins by
 *                 event use. Joining unified_events by event_id instead multiplied every Race
 *                 Roster participant and event by its number of sub-events.
 *   event_ids     every id a sync names (sync_history.event_id) with its name: an event, or a
 *                 RunSignUp race page (the group its events are synced by).
 * Race Roster names are cut at the first " › ": the sync writes `${event} › ${subEvent}`.
 */
const gender = (column: string) => genderOf('sqlite', column);
const age = (dob: string, day: string) => ageOn('sqlite', dob, day);

/** The venue columns of one arm: `identity` is the provider name participant_changes uses. */
const venueJoins = (identity: string, id: string) => `
LEFT JOIN participant_state ci ON ci.source_provider = '${identity}' AND ci.participant_id = ${id} AND ci.field = 'checked_in'
LEFT JOIN participant_state bo ON bo.source_provider = '${identity}' AND bo.participant_id = ${id} AND bo.field = 'bib_number'`;

const venueColumns = (registeredBib: string, isWalkUp: 0 | 1) => `
       coalesce(bo.value, ${registeredBib}) AS bib_number, ${registeredBib} AS registered_bib, ${isWalkUp} AS is_walk_up,
       CASE WHEN ci.value = '1' THEN 1 ELSE 0 END AS checked_in,
       CASE WHEN ci.value = '1' THEN ci.changed_at END AS checked_in_at,
       CASE WHEN ci.value = '1' THEN ci.station_name END AS checked_in_by`;

const eventScopedId = eventScopedRunnerId('p');

const unifiedEvents = /* sql */ `CREATE VIEW unified_events AS
SELECT 'runsignup' AS source_provider, timing_partner_id, CAST(event_id AS TEXT) AS event_id,
       name AS event_name, start_time AS event_date, fetched_date,
       CAST(race_id AS TEXT) AS race_id, race_name, credentials_used
FROM runsignup_events
UNION ALL
SELECT 'chronotrack', timing_partner_id, event_id, event_name, event_start_time, created_at,
       NULL, NULL, credentials_used
FROM ct_events
UNION ALL
SELECT 'raceroster', timing_partner_id, CAST(event_id AS TEXT), name, start_date, fetched_date,
       CAST(race_id AS TEXT), location_name, credentials_used
FROM raceroster_events
UNION ALL
SELECT 'copernico', timing_partner_id, event_id, event_name, event_date, fetched_date,
       NULL, NULL, credentials_used
FROM copernico_events
UNION ALL
SELECT 'haku', timing_partner_id, event_id, event_name, start_date, fetched_date,
       NULL, NULL, credentials_used
FROM haku_events`;

/**
 * The arms of unified_participants, each one table with every column the view shows, keyed by the
 * provider its rows are listed under (`local`: walk-ups, listed under their event's provider, with
 * -rowid as source_rowid). The view is their UNION ALL, so its column names are the first arm's.
 * A lookup reads the hits' rows from their arm alone (lookup.ts): through the view, every run
 * also sought each other provider's table and built the events view for the walk-ups' arm.
 */
export const unifiedParticipantArms = {
  runsignup: /* sql */ `SELECT 'runsignup' AS source_provider, p.timing_partner_id, CAST(p.event_id AS TEXT) AS event_id,
       CAST(p.registration_id AS TEXT) AS participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')} AS gender,
       json_extract(p.address, '$.city') AS city,
       json_extract(p.address, '$.state') AS state,
       coalesce(p.age, ${age('p.dob', 'coalesce(e.age_calc_base_date, e.start_time)')}) AS age,
       p.dob AS date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used,
       p.rowid AS source_rowid, ${venueColumns('p.bib_num', 0)}
FROM runsignup_participants p LEFT JOIN runsignup_events e ON e.event_id = p.event_id
${venueJoins('runsignup', 'CAST(p.registration_id AS TEXT)')}`,
  chronotrack: /* sql */ `SELECT 'chronotrack', p.timing_partner_id, p.event_id, p.entry_id,
       p.athlete_first_name, p.athlete_last_name, p.athlete_email,
       coalesce(p.athlete_mobile_phone, p.athlete_home_phone), ${gender('p.athlete_sex')},
       json_extract(p.location, '$.city'), json_extract(p.location, '$.region'),
       coalesce(p.entry_race_age, ${age('p.athlete_birthdate', 'e.event_start_time')}),
       p.athlete_birthdate, p.team_name, NULL, p.created_at, p.credentials_used, p.rowid,
       ${venueColumns('p.entry_bib', 0)}
FROM ct_participants p LEFT JOIN ct_events e ON e.event_id = p.event_id
${venueJoins('chronotrack', 'p.entry_id')}`,
  raceroster: /* sql */ `SELECT 'raceroster', p.timing_partner_id, CAST(p.event_id AS TEXT), CAST(p.registration_id AS TEXT),
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       json_extract(p.address, '$.city'), json_extract(p.address, '$.region'),
       ${age('p.date_of_birth', 'e.start_date')},
       p.date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used, p.rowid,
       ${venueColumns('p.bib_number', 0)}
FROM raceroster_participants p
LEFT JOIN raceroster_events e ON e.event_id = p.event_id AND e.race_id = p.race_id
${venueJoins('raceroster', 'CAST(p.registration_id AS TEXT)')}`,
  copernico: /* sql */ `SELECT 'copernico', p.timing_partner_id, p.event_id, ${eventScopedId},
       p.first_name, p.last_name, NULL, NULL, ${gender('p.gender')},
       NULL, NULL,
       ${age('p.date_of_birth', 'e.event_date')},
       p.date_of_birth, p.club_team, NULL, p.fetched_date, p.credentials_used, p.rowid,
       ${venueColumns('p.bib_number', 0)}
FROM copernico_participants p LEFT JOIN copernico_events e ON e.event_id = p.event_id
${venueJoins('copernico', eventScopedId)}`,
  haku: /* sql */ `SELECT 'haku', p.timing_partner_id, p.event_id, ${eventScopedId},
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.city, p.state,
       ${age('p.date_of_birth', 'e.start_date')},
       p.date_of_birth, p.team_affiliation, p.registration_date, p.fetched_date, p.credentials_used, p.rowid,
       ${venueColumns('p.bib_number', 0)}
FROM haku_participants p LEFT JOIN haku_events e ON e.event_id = p.event_id
${venueJoins('haku', eventScopedId)}`,
  local: /* sql */ `SELECT p.source_provider, p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.city, p.state,
       ${age('p.date_of_birth', 'e.event_date')},
       p.date_of_birth, p.team_name, p.created_at, p.updated_at, NULL, -p.rowid,
       ${venueColumns('p.bib_number', 1)}
FROM local_participants p
LEFT JOIN event_titles e ON e.source_provider = p.source_provider AND e.event_id = p.event_id
${venueJoins('local', 'p.participant_id')}`,
};

const unifiedParticipants = `CREATE VIEW unified_participants AS
${Object.values(unifiedParticipantArms).join('\nUNION ALL\n')}`;

const unifiedResults = /* sql */ `CREATE VIEW unified_results AS
SELECT 'chronotrack' AS source_provider, r.timing_partner_id, r.event_id,
       r.entry_id AS participant_id, r.results_bib AS bib_number,
       r.results_first_name AS first_name, r.results_last_name AS last_name,
       ${gender('r.results_sex')} AS gender, r.results_age AS age,
       r.results_time, r.results_gun_time, r.results_rank AS overall_place,
       r.results_gender_rank AS gender_place, r.results_age_group_rank AS age_group_place,
       ${unifiedStatus('p.entry_status', `CASE WHEN r.results_time IS NOT NULL THEN 'finished' END`)} AS status,
       r.created_at AS fetched_date
FROM ct_results r
LEFT JOIN ct_participants p ON p.entry_id = r.entry_id
UNION ALL
SELECT 'copernico', r.timing_partner_id, r.event_id, ${eventScopedRunnerId('r')}, r.bib_number,
       r.first_name, r.last_name, ${gender('p.gender')},
       ${age('p.date_of_birth', 'e.event_date')},
       ${storedDuration('sqlite', 'r.total_time')}, ${storedDuration('sqlite', 'r.gun_time')}, r.overall_position,
       NULL, r.category_position,
       ${unifiedStatus('r.status', 'lower(r.status)')},
       r.fetched_date
FROM copernico_results r
LEFT JOIN copernico_participants p ON p.event_id = r.event_id AND p.participant_id = r.participant_id
LEFT JOIN copernico_events e ON e.event_id = r.event_id
UNION ALL
SELECT 'crew', c.timing_partner_id, c.event_id, c.participant_id, c.bib_number,
       c.first_name, c.last_name, ${gender('c.gender')}, c.age,
       ${durationFromMs('sqlite', 'c.chip_time_ms')}, ${durationFromMs('sqlite', 'c.gun_time_ms')}, c.overall_place,
       c.gender_place, c.age_group_place,
       ${unifiedStatus('c.status')},
       c.updated_at
FROM crew_results c`;

const runsignupName = `race_name || ' › ' || event_name`;
const isRunsignupDistance = `source_provider = 'runsignup' AND race_name IS NOT NULL AND event_name IS NOT NULL`;
const isRaceRosterSub = `source_provider = 'raceroster' AND instr(event_name, ' › ') > 0`;

const eventRows = /* sql */ `CREATE VIEW event_rows AS
SELECT source_provider, event_id,
       CASE WHEN source_provider = 'raceroster' THEN race_id END AS sub_event_id,
       CASE WHEN ${isRunsignupDistance} THEN ${runsignupName} ELSE coalesce(event_name, race_name) END AS row_name,
       CASE WHEN ${isRaceRosterSub} THEN substr(event_name, 1, instr(event_name, ' › ') - 1)
            WHEN source_provider = 'raceroster' THEN NULL ELSE race_name END AS race_name,
       CASE WHEN ${isRunsignupDistance} THEN ${runsignupName}
            WHEN ${isRaceRosterSub} THEN substr(event_name, 1, instr(event_name, ' › ') - 1)
            ELSE coalesce(event_name, race_name) END AS event_title,
       event_date, race_id, fetched_date, credentials_used
FROM unified_events`;

const eventTitles = /* sql */ `CREATE VIEW event_titles AS
SELECT source_provider, event_id, min(event_title) AS event_title, min(event_date) AS event_date
FROM event_rows
GROUP BY source_provider, event_id`;

const eventIds = /* sql */ `CREATE VIEW event_ids AS
SELECT source_provider, event_id AS id, event_title AS name FROM event_titles
UNION ALL
SELECT 'runsignup', race_id, min(race_name) FROM event_rows
WHERE source_provider = 'runsignup' AND race_id IS NOT NULL
  AND race_id NOT IN (SELECT event_id FROM event_titles WHERE source_provider = 'runsignup')
GROUP BY race_id`;

/** Each view with its CREATE statement, in creation order (a view after those it reads). */
const localViews: ReadonlyArray<{ name: string; sql: string }> = [
  { name: 'unified_events', sql: unifiedEvents },
  { name: 'event_rows', sql: eventRows },
  { name: 'event_titles', sql: eventTitles },
  { name: 'unified_participants', sql: unifiedParticipants },
  { name: 'unified_results', sql: unifiedResults },
  { name: 'event_ids', sql: eventIds },
];

/** Before migrations run: a migration may rebuild a table a view reads, which SQLite refuses while the view is there. */
export function dropLocalViews(db: Db): void {
  for (const view of [...localViews].reverse()) db.exec(`DROP VIEW IF EXISTS ${view.name}`);
}

/**
 * Creates the views where one is missing or differs from its definition here (SQLite keeps each
 * CREATE statement as written), so an unchanged database is left alone: recreating the views on
 * every open would make every other connection re-prepare its statements.
 */
export function ensureLocalViews(db: Db): void {
  const stored = new Map(
    (db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'view'`).all() as Array<{ name: string; sql: string }>).map((v) => [v.name, v.sql]),
  );
  if (localViews.every((view) => stored.get(view.name) === view.sql)) return;
  dropLocalViews(db);
  for (const view of localViews) db.exec(view.sql);
}
