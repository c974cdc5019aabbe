import type { Migration } from './types.ts';

/*
 * Race-day results the crew imports from its own timing software (core/results/), beside the
 * providers' results.
 *
 * crew_results  one row per participant of a provider event, keyed like the venue-data contract
 *               (source_provider, event_id, participant_id): the participant is matched by bib
 *               at import, but the row belongs to the provider's stable id, so a later bib swap
 *               does not move a result to someone else. Times are integer milliseconds; places
 *               are recomputed for the whole event after each import or settings change.
 *               `id` is a local surrogate (the hub numbers its own rows).
 * crew_result_imports  which file was accepted when and at which station (import_id on the rows).
 * results_mappings     column mappings the crew saved, by name; header_signature lets a file with
 *                      the same header line pick its mapping up without being told.
 * results_event_settings  per event: place by chip or gun time, age-group lower bounds (JSON array).
 *
 * unified_results gains a 'crew' arm, so crew results sit beside ChronoTrack's and Copernico's
 * (times as 'H:MM:SS.mmm' and statuses folded the same way). The other arms are exactly those
 * of migration 0010.
 */
const gender = (column: string) => `CASE upper(substr(trim(${column}), 1, 1))
      WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'W' THEN 'F' WHEN 'X' THEN 'X' WHEN 'N' THEN 'X' END`;

const ageOn = (dob: string, day: string) => `CASE WHEN ${dob} IS NOT NULL AND ${day} IS NOT NULL THEN
      (CAST(strftime('%Y', ${day}) AS INTEGER) - CAST(strftime('%Y', ${dob}) AS INTEGER))
      - (strftime('%m-%d', ${day}) < strftime('%m-%d', ${dob})) END`;

const interval = (ms: string) => `CASE WHEN ${ms} IS NOT NULL THEN
      printf('%d:%02d:%02d.%03d', ${ms} / 3600000, ${ms} / 60000 % 60, ${ms} / 1000 % 60, ${ms} % 1000) END`;

export const crewResults: Migration = {
  version: 60,
  name: 'crew-results',
  up: /* sql */ `
CREATE TABLE crew_results (
  id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER,
  source_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  bib_number TEXT,
  first_name TEXT,
  last_name TEXT,
  gender TEXT,
  age INTEGER,
  age_group TEXT,
  chip_time_ms INTEGER CHECK (chip_time_ms IS NULL OR chip_time_ms >= 0),
  gun_time_ms INTEGER CHECK (gun_time_ms IS NULL OR gun_time_ms >= 0),
  splits TEXT CHECK (splits IS NULL OR json_valid(splits)),
  status TEXT NOT NULL CHECK (status IN ('FIN', 'DNF', 'DNS', 'DQ')),
  overall_place INTEGER,
  gender_place INTEGER,
  age_group_place INTEGER,
  import_id TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (source_provider, event_id, participant_id)
) STRICT;
CREATE INDEX idx_crew_results_bib ON crew_results(source_provider, event_id, bib_number);

CREATE TABLE crew_result_imports (
  import_id TEXT PRIMARY KEY,
  source_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  mapping TEXT NOT NULL CHECK (json_valid(mapping)),
  rows_written INTEGER NOT NULL,
  station_name TEXT NOT NULL,
  accepted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE results_mappings (
  name TEXT PRIMARY KEY,
  format TEXT NOT NULL,
  header_signature TEXT NOT NULL,
  mapping TEXT NOT NULL CHECK (json_valid(mapping)),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX idx_results_mappings_signature ON results_mappings(format, header_signature);

CREATE TABLE results_event_settings (
  source_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  place_by TEXT NOT NULL CHECK (place_by IN ('chip', 'gun')),
  age_brackets TEXT NOT NULL CHECK (json_valid(age_brackets)),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (source_provider, event_id)
) STRICT;

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
LEFT JOIN copernico_events e ON e.event_id = r.event_id
UNION ALL
SELECT 'crew', c.timing_partner_id, c.event_id, c.participant_id, c.bib_number,
       c.first_name, c.last_name, c.gender, c.age,
       ${interval('c.chip_time_ms')}, ${interval('c.gun_time_ms')}, c.overall_place,
       CASE c.status WHEN 'FIN' THEN 'finished' WHEN 'DNF' THEN 'dnf' WHEN 'DNS' THEN 'dns' WHEN 'DQ' THEN 'dq' END,
       c.updated_at
FROM crew_results c;
`,
};
