import type { Migration } from './types.ts';

/*
 * The laptop's copy of the hub schema (../shared/hub-schema.md) in SQLite types:
 *   TIMESTAMP -> TEXT, ISO-8601 in UTC ("2025-06-14T12:00:00.000Z"); DATE -> TEXT "YYYY-MM-DD";
 *   JSONB -> TEXT holding JSON (checked with json_valid); BOOLEAN -> INTEGER 0/1;
 *   NUMERIC -> REAL; INTERVAL -> TEXT "H:MM:SS.mmm".
 *
 * Natural keys. A re-sync must update the row it synced before, so every provider table has a
 * UNIQUE key built from the provider's own stable ids — never from names, which change and collide:
 *   runsignup_events        event_id          RunSignUp event ids are global across races.
 *   runsignup_participants  registration_id   one registration = one person in one event; a transfer
 *                                             gets a new registration_id (the old one is "removed").
 *   ct_events               event_id          ChronoTrack's event (the race day).
 *   ct_participants         entry_id          one entry = one athlete in one race.
 *   ct_results              (event_id, entry_id)  the seed has no entry id on results; we add it, because
 *                                             bibs get reassigned and cannot identify a result.
 *   raceroster_events       (event_id, race_id)   Race Roster rows are sub-events (distances) of an event.
 *   raceroster_participants registration_id   Race Roster's participantId.
 *   copernico_events        event_id
 *   copernico_participants  (event_id, participant_id)  Copernico athlete ids are per race.
 *   copernico_results       (event_id, participant_id)
 *   haku_events             event_id
 *   haku_participants       participant_id    Haku's registration_number, unique per platform.
 * Where the seed's id is SERIAL we keep an INTEGER PRIMARY KEY for joins, and the natural key beside it.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: /* sql */ `
CREATE TABLE timing_partners (
  timing_partner_id INTEGER PRIMARY KEY,
  company_name TEXT,
  contact_email TEXT,
  api_access_enabled INTEGER CHECK (api_access_enabled IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE providers (
  id INTEGER PRIMARY KEY,
  provider_name TEXT NOT NULL UNIQUE,
  provider_type TEXT CHECK (provider_type IN ('registration', 'scoring')),
  api_base_url TEXT,
  rate_limit_per_hour INTEGER CHECK (rate_limit_per_hour > 0),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- Budgets are conservative defaults; a partner with a negotiated limit edits the row.
INSERT INTO providers (provider_name, provider_type, api_base_url, rate_limit_per_hour) VALUES
  ('runsignup',   'registration', 'https://runsignup.com/Rest',        3600),
  ('chronotrack', 'scoring',      'https://api.chronotrack.com/api',   3600),
  ('raceroster',  'registration', 'https://raceroster.com/api/v1',     3600),
  ('copernico',   'scoring',      'https://api.copernico.cloud',       3600),
  ('haku',        'registration', 'https://api.hakuapp.com/api/v3',    3600);

CREATE TABLE sync_queue (
  id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  provider_name TEXT NOT NULL,
  sync_type TEXT NOT NULL CHECK (sync_type IN ('events', 'participants', 'results')),
  priority INTEGER NOT NULL DEFAULT 5,
  status TEXT NOT NULL DEFAULT 'pending',
  scheduled_for TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  retry_count INTEGER NOT NULL DEFAULT 0,
  max_retries INTEGER NOT NULL DEFAULT 3,
  payload TEXT CHECK (payload IS NULL OR json_valid(payload)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX idx_sync_queue_pick ON sync_queue(status, priority, scheduled_for);

CREATE TABLE sync_history (
  id INTEGER PRIMARY KEY,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  provider_name TEXT NOT NULL,
  sync_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed', 'partial')),
  records_processed INTEGER NOT NULL DEFAULT 0,
  started_at TEXT,
  completed_at TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- Laptop-side additions: which account and which event the run was for.
  account_label TEXT,
  event_id TEXT
) STRICT;
CREATE INDEX idx_sync_history_recent ON sync_history(provider_name, account_label, started_at);

-- RunSignUp -------------------------------------------------------------------------------------

CREATE TABLE runsignup_events (
  event_id INTEGER PRIMARY KEY,
  race_id INTEGER NOT NULL,
  name TEXT,
  details TEXT,
  start_time TEXT,
  end_time TEXT,
  age_calc_base_date TEXT,
  registration_opens TEXT,
  event_type TEXT,
  distance REAL,
  volunteer INTEGER CHECK (volunteer IN (0, 1)),
  require_dob INTEGER CHECK (require_dob IN (0, 1)),
  require_phone INTEGER CHECK (require_phone IN (0, 1)),
  giveaway TEXT,
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- Laptop-side: the race page's name, shown as "race › event".
  race_name TEXT
) STRICT;
CREATE INDEX idx_runsignup_events_start_time ON runsignup_events(start_time);
CREATE INDEX idx_runsignup_events_race ON runsignup_events(race_id);

CREATE TABLE runsignup_participants (
  id INTEGER PRIMARY KEY,
  race_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL REFERENCES runsignup_events(event_id) ON DELETE CASCADE,
  registration_id INTEGER NOT NULL UNIQUE,
  user_id INTEGER,
  first_name TEXT,
  middle_name TEXT,
  last_name TEXT,
  email TEXT,
  address TEXT CHECK (address IS NULL OR json_valid(address)),
  dob TEXT,
  gender TEXT,
  phone TEXT,
  profile_image_url TEXT,
  bib_num TEXT,
  chip_num TEXT,
  age INTEGER,
  registration_date TEXT,
  team_info TEXT CHECK (team_info IS NULL OR json_valid(team_info)),
  payment_info TEXT CHECK (payment_info IS NULL OR json_valid(payment_info)),
  additional_data TEXT CHECK (additional_data IS NULL OR json_valid(additional_data)),
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  race_fee REAL,
  amount_paid REAL,
  team_name TEXT,
  fundraiser_charity_name TEXT,
  -- Laptop-side: RunSignUp's last_modified (epoch seconds), the cursor of incremental re-syncs.
  last_modified INTEGER
) STRICT;
CREATE INDEX idx_runsignup_participants_timing_partner ON runsignup_participants(timing_partner_id);
CREATE INDEX idx_runsignup_participants_email ON runsignup_participants(email);
CREATE INDEX idx_runsignup_participants_bib ON runsignup_participants(bib_num);
CREATE INDEX idx_runsignup_participants_event ON runsignup_participants(event_id);

-- ChronoTrack -----------------------------------------------------------------------------------

CREATE TABLE ct_events (
  event_id TEXT PRIMARY KEY,
  event_name TEXT,
  event_start_time TEXT,
  event_type TEXT,
  location TEXT CHECK (location IS NULL OR json_valid(location)),
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT
) STRICT;

CREATE TABLE ct_participants (
  entry_id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES ct_events(event_id) ON DELETE CASCADE,
  race_id TEXT,
  entry_external_id TEXT,
  entry_name TEXT,
  entry_type TEXT,
  entry_status TEXT,
  entry_bib TEXT,
  entry_race_age INTEGER,
  athlete_id TEXT,
  athlete_first_name TEXT,
  athlete_last_name TEXT,
  athlete_sex TEXT,
  athlete_birthdate TEXT,
  athlete_email TEXT,
  athlete_home_phone TEXT,
  athlete_mobile_phone TEXT,
  location TEXT CHECK (location IS NULL OR json_valid(location)),
  team_id TEXT,
  team_name TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT
) STRICT;
CREATE INDEX idx_ct_participants_timing_partner ON ct_participants(timing_partner_id);
CREATE INDEX idx_ct_participants_bib ON ct_participants(entry_bib);
CREATE INDEX idx_ct_participants_event ON ct_participants(event_id);

CREATE TABLE ct_results (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES ct_events(event_id) ON DELETE CASCADE,
  results_bib TEXT,
  results_first_name TEXT,
  results_last_name TEXT,
  results_sex TEXT,
  results_age INTEGER,
  results_time TEXT,
  results_gun_time TEXT,
  results_rank INTEGER,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  entry_id TEXT NOT NULL,
  UNIQUE (event_id, entry_id)
) STRICT;

-- Race Roster -----------------------------------------------------------------------------------

CREATE TABLE raceroster_events (
  event_id INTEGER NOT NULL,
  race_id INTEGER NOT NULL,
  name TEXT,
  description TEXT,
  start_date TEXT,
  end_date TEXT,
  location_name TEXT,
  address TEXT CHECK (address IS NULL OR json_valid(address)),
  timezone TEXT,
  distance REAL,
  event_type TEXT,
  registration_open_date TEXT,
  registration_close_date TEXT,
  max_participants INTEGER,
  current_participants INTEGER,
  price REAL,
  currency TEXT,
  status TEXT,
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (event_id, race_id)
) STRICT;
CREATE INDEX idx_raceroster_events_start_date ON raceroster_events(start_date);

CREATE TABLE raceroster_participants (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL,
  registration_id INTEGER NOT NULL UNIQUE,
  bib_number TEXT,
  first_name TEXT,
  last_name TEXT,
  email TEXT,
  phone TEXT,
  date_of_birth TEXT,
  gender TEXT,
  address TEXT CHECK (address IS NULL OR json_valid(address)),
  emergency_contact TEXT CHECK (emergency_contact IS NULL OR json_valid(emergency_contact)),
  team_name TEXT,
  division TEXT,
  registration_date TEXT,
  registration_status TEXT,
  payment_status TEXT,
  amount_paid REAL,
  additional_info TEXT CHECK (additional_info IS NULL OR json_valid(additional_info)),
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- Laptop-side: the sub-event (distance) this registration is for.
  race_id INTEGER NOT NULL,
  FOREIGN KEY (event_id, race_id) REFERENCES raceroster_events(event_id, race_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX idx_raceroster_participants_timing_partner ON raceroster_participants(timing_partner_id);
CREATE INDEX idx_raceroster_participants_bib ON raceroster_participants(bib_number);
CREATE INDEX idx_raceroster_participants_event ON raceroster_participants(event_id, race_id);

-- Copernico -------------------------------------------------------------------------------------

CREATE TABLE copernico_events (
  event_id TEXT PRIMARY KEY,
  event_name TEXT,
  event_date TEXT,
  location TEXT,
  discipline TEXT,
  distance REAL,
  event_type TEXT,
  organizer TEXT,
  status TEXT,
  max_participants INTEGER,
  registration_fee REAL,
  currency TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id)
) STRICT;

CREATE TABLE copernico_participants (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES copernico_events(event_id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
  bib_number TEXT,
  first_name TEXT,
  last_name TEXT,
  date_of_birth TEXT,
  gender TEXT,
  nationality TEXT,
  club_team TEXT,
  category TEXT,
  license_number TEXT,
  registration_status TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  UNIQUE (event_id, participant_id)
) STRICT;
CREATE INDEX idx_copernico_participants_timing_partner ON copernico_participants(timing_partner_id);
CREATE INDEX idx_copernico_participants_bib ON copernico_participants(bib_number);

CREATE TABLE copernico_results (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES copernico_events(event_id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
  bib_number TEXT,
  first_name TEXT,
  last_name TEXT,
  category TEXT,
  start_time TEXT,
  finish_time TEXT,
  total_time TEXT,
  split_times TEXT CHECK (split_times IS NULL OR json_valid(split_times)),
  overall_position INTEGER,
  category_position INTEGER,
  status TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  UNIQUE (event_id, participant_id)
) STRICT;

-- Haku ------------------------------------------------------------------------------------------

CREATE TABLE haku_events (
  event_id TEXT PRIMARY KEY,
  event_name TEXT,
  start_date TEXT,
  end_date TEXT,
  location TEXT,
  event_type TEXT,
  distance REAL,
  max_participants INTEGER,
  registration_fee REAL,
  currency TEXT,
  status TEXT,
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX idx_haku_events_start_date ON haku_events(start_date);

CREATE TABLE haku_participants (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES haku_events(event_id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL UNIQUE,
  bib_number TEXT,
  first_name TEXT,
  last_name TEXT,
  email TEXT,
  phone TEXT,
  date_of_birth TEXT,
  gender TEXT,
  nationality TEXT,
  emergency_contact TEXT CHECK (emergency_contact IS NULL OR json_valid(emergency_contact)),
  team_affiliation TEXT,
  category TEXT,
  registration_date TEXT,
  payment_status TEXT,
  amount_paid REAL,
  special_requirements TEXT,
  fetched_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  credentials_used TEXT,
  timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- Laptop-side: Haku gives a city but the seed has no column for it.
  city TEXT,
  state TEXT
) STRICT;
CREATE INDEX idx_haku_participants_timing_partner ON haku_participants(timing_partner_id);
CREATE INDEX idx_haku_participants_bib ON haku_participants(bib_number);
`,
};
