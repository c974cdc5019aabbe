import type { Migration } from './types.ts';

/*
 * Laptop-side columns for ChronoTrack and Copernico fields the seed tables have no home for (the
 * real gun time and statuses they give unified_results are in store/views.ts).
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
 */
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
`,
};
