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
 * unified_results has a 'crew' arm, so crew results sit beside ChronoTrack's and Copernico's
 * (store/views.ts).
 */
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
`,
};
