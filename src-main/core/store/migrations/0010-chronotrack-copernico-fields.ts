import type { Migration } from './types.ts';

/*
 * Laptop-side columns for ChronoTrack and Copernico fields the seed tables have no home for, and
 * unified_results recreated so both arms report a comparable status and a real gun time.
 *
 * ct_events
 *   event_date      ChronoTrack's local race day ("2025-10-18"); event_start_time is UTC, whose
 *                   date is the day before for evening starts west of Greenwich.
 *   event_end_time, time_zone (IANA, for showing local times), is_published ("1"/"0" -> 1/0).
 * ct_participants
 *   race_name       the distance the entry is in ("Half Marathon"): ct_events is the whole race
 *                   day, so without it the UI cannot show "event › race".
 *   reg_choice_name, wave_name, bracket_name   registration option, start wave and primary
 *                   division: what the packet-pickup volunteer reads out.
 * ct_results (one row per entry, built from the full-course row plus its split rows)
 *   results_race_id, results_race_name   ranks are per race, so a result needs its race.
 *   results_primary_bracket_name         the age-group label.
 *   results_pace, results_begin_chip_time, results_end_chip_time (ISO UTC).
 *   split_times     JSON {intervalName: {interval_id, time, gun_time, pace, rank}} from the
 *                   interval=ALL rows, the same idea as copernico_results.split_times.
 * copernico_results
 *   gun_time        'H:MM:SS.mmm' from the finish ranking's gun ("time") value; total_time is the
 *                   net (chip) time, and the old view showed it as the gun time too.
 *
 * unified_results status is folded to finished / dnf / dns / dq where the provider's word maps
 * to one; other words (Copernico's notstarted, started) pass through in lower case. ChronoTrack
 * results carry no status: it comes from the entry's entry_status, and a full-course time
 * without one means finished.
 */
const gender = (column: string) => `CASE upper(substr(trim(${column}), 1, 1))
      WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'W' THEN 'F' WHEN 'X' THEN 'X' WHEN 'N' THEN 'X' END`;

const ageOn = (dob: string, day: string) => `CASE WHEN ${dob} IS NOT NULL AND ${day} IS NOT NULL THEN
      (CAST(strftime('%Y', ${day}) AS INTEGER) - CAST(strftime('%Y', ${dob}) AS INTEGER))
      - (strftime('%m-%d', ${day}) < strftime('%m-%d', ${dob})) END`;

export const chronotrackCopernicoFields: Migration = {
  version: 10,
  name: 'chronotrack-copernico-fields',
  up: /* sql */ `
ALTER TABLE ct_events ADD COLUMN event_date TEXT;
ALTER TABLE ct_events ADD COLUMN event_end_time TEXT;
ALTER TABLE ct_events ADD COLUMN time_zone TEXT;
ALTER TABLE ct_events ADD COLUMN is_published INTEGER CHECK (is_published IN (0, 1));

ALTER TABLE ct_participants ADD COLUMN race_name TEXT;
ALTER TABLE ct_participants ADD COLUMN reg_choice_name TEXT;
ALTER TABLE ct_participants ADD COLUMN wave_name TEXT;
ALTER TABLE ct_participants ADD COLUMN bracket_name TEXT;

ALTER TABLE ct_results ADD COLUMN results_race_id TEXT;
ALTER TABLE ct_results ADD COLUMN results_race_name TEXT;
ALTER TABLE ct_results ADD COLUMN results_primary_bracket_name TEXT;
ALTER TABLE ct_results ADD COLUMN results_pace TEXT;
ALTER TABLE ct_results ADD COLUMN results_begin_chip_time TEXT;
ALTER TABLE ct_results ADD COLUMN results_end_chip_time TEXT;
ALTER TABLE ct_results ADD COLUMN split_times TEXT CHECK (split_times IS NULL OR json_valid(split_times));

ALTER TABLE copernico_results ADD COLUMN gun_time TEXT;

DROP VIEW unified_results;
CREATE VIEW unified_results AS
SELECT 'chronotrack' AS source_provider, r.timing_partner_id, r.event_id,
       r.entry_id AS participant_id, r.results_bib AS bib_number,
       r.results_first_name AS first_name, r.results_last_name AS last_name,
       ${gender('r.results_sex')} AS gender, r.results_age AS age,
       r.results_time, r.results_gun_time, r.results_rank AS overall_place,
       CASE upper(p.entry_status)
         WHEN 'FIN' THEN 'finished' WHEN 'DNF' THEN 'dnf' WHEN 'DNS' THEN 'dns' WHEN 'DQ' THEN 'dq'
         ELSE CASE WHEN r.results_time IS NOT NULL THEN 'finished' END
       END AS status,
       r.created_at AS fetched_date
FROM ct_results r
LEFT JOIN ct_participants p ON p.entry_id = r.entry_id
UNION ALL
SELECT 'copernico', r.timing_partner_id, r.event_id, r.participant_id, r.bib_number,
       r.first_name, r.last_name, ${gender('p.gender')},
       ${ageOn('p.date_of_birth', 'date(e.event_date)')},
       r.total_time, r.gun_time, r.overall_position,
       CASE lower(r.status)
         WHEN 'finished' THEN 'finished'
         WHEN 'dnf' THEN 'dnf' WHEN 'retired' THEN 'dnf' WHEN 'withdrawn' THEN 'dnf' WHEN 'abandoned' THEN 'dnf'
         WHEN 'dns' THEN 'dns'
         WHEN 'dq' THEN 'dq' WHEN 'dsq' THEN 'dq' WHEN 'disqualified' THEN 'dq'
         ELSE lower(r.status)
       END,
       r.fetched_date
FROM copernico_results r
LEFT JOIN copernico_participants p ON p.event_id = r.event_id AND p.participant_id = r.participant_id
LEFT JOIN copernico_events e ON e.event_id = r.event_id;
`,
};
