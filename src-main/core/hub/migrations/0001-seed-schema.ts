import type { HubMigration } from './types.ts';

/*
 * The hub as /work/shared/hub-schema.md describes the production database, table for table and
 * index for index. IF NOT EXISTS everywhere: on the production hub these already exist and this
 * step changes nothing; on an empty database it builds the same starting point, so every later
 * migration runs against one known shape. The seed's unified views are not created here: version 4
 * replaces them with versions covering all five providers.
 */
export const seedSchema: HubMigration = {
  version: 1,
  name: 'seed-schema',
  up: /* sql */ `
CREATE TABLE IF NOT EXISTS timing_partners (
    timing_partner_id SERIAL PRIMARY KEY,
    company_name VARCHAR(255),
    contact_email VARCHAR(255),
    api_access_enabled BOOLEAN,
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS providers (
    id SERIAL PRIMARY KEY,
    provider_name VARCHAR(100) UNIQUE,
    provider_type VARCHAR(50),
    api_base_url VARCHAR(255),
    rate_limit_per_hour INTEGER,
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS users (
    id SERIAL PRIMARY KEY,
    username VARCHAR(100) UNIQUE,
    email VARCHAR(255) UNIQUE,
    password_hash VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    role VARCHAR(50),
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS sync_queue (
    id SERIAL PRIMARY KEY,
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    provider_name VARCHAR(100),
    sync_type VARCHAR(50),
    priority INTEGER DEFAULT 5,
    status VARCHAR(20) DEFAULT 'pending',
    scheduled_for TIMESTAMP DEFAULT NOW(),
    retry_count INTEGER DEFAULT 0,
    max_retries INTEGER DEFAULT 3,
    payload JSONB,
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS sync_history (
    id SERIAL PRIMARY KEY,
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    provider_name VARCHAR(100),
    sync_type VARCHAR(50),
    status VARCHAR(20),
    records_processed INTEGER,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    error_message TEXT,
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS runsignup_events (
    event_id INTEGER PRIMARY KEY,
    race_id INTEGER,
    name TEXT,
    details TEXT,
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    age_calc_base_date DATE,
    registration_opens TIMESTAMP,
    event_type VARCHAR(50),
    distance NUMERIC(10,2),
    volunteer BOOLEAN,
    require_dob BOOLEAN,
    require_phone BOOLEAN,
    giveaway TEXT,
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS runsignup_participants (
    id SERIAL PRIMARY KEY,
    race_id INTEGER,
    event_id INTEGER,
    registration_id INTEGER,
    user_id INTEGER,
    first_name VARCHAR(100),
    middle_name VARCHAR(100),
    last_name VARCHAR(100),
    email VARCHAR(255),
    address JSONB,
    dob DATE,
    gender VARCHAR(20),
    phone VARCHAR(20),
    profile_image_url VARCHAR(255),
    bib_num VARCHAR(20),
    chip_num VARCHAR(20),
    age INTEGER,
    registration_date TIMESTAMP,
    team_info JSONB,
    payment_info JSONB,
    additional_data JSONB,
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW(),
    race_fee NUMERIC(10,2),
    amount_paid NUMERIC(10,2),
    team_name VARCHAR(255),
    fundraiser_charity_name VARCHAR(255)
);

CREATE TABLE IF NOT EXISTS ct_events (
    event_id VARCHAR(100) PRIMARY KEY,
    event_name VARCHAR(255),
    event_start_time TIMESTAMP,
    event_type VARCHAR(50),
    location JSONB,
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255)
);

CREATE TABLE IF NOT EXISTS ct_participants (
    entry_id VARCHAR(100) PRIMARY KEY,
    event_id VARCHAR(100),
    race_id VARCHAR(100),
    entry_external_id VARCHAR(100),
    entry_name VARCHAR(255),
    entry_type VARCHAR(50),
    entry_status VARCHAR(50),
    entry_bib VARCHAR(20),
    entry_race_age INTEGER,
    athlete_id VARCHAR(100),
    athlete_first_name VARCHAR(100),
    athlete_last_name VARCHAR(100),
    athlete_sex VARCHAR(20),
    athlete_birthdate DATE,
    athlete_email VARCHAR(255),
    athlete_home_phone VARCHAR(20),
    athlete_mobile_phone VARCHAR(20),
    location JSONB,
    team_id VARCHAR(100),
    team_name VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255)
);

CREATE TABLE IF NOT EXISTS ct_results (
    id SERIAL PRIMARY KEY,
    event_id VARCHAR(100),
    results_bib VARCHAR(20),
    results_first_name VARCHAR(100),
    results_last_name VARCHAR(100),
    results_sex VARCHAR(20),
    results_age INTEGER,
    results_time VARCHAR(50),
    results_gun_time VARCHAR(50),
    results_rank INTEGER,
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255)
);

CREATE TABLE IF NOT EXISTS raceroster_events (
    event_id INTEGER PRIMARY KEY,
    race_id INTEGER,
    name VARCHAR(255),
    description TEXT,
    start_date TIMESTAMP,
    end_date TIMESTAMP,
    location_name VARCHAR(255),
    address JSONB,
    timezone VARCHAR(50),
    distance NUMERIC(10,2),
    event_type VARCHAR(50),
    registration_open_date TIMESTAMP,
    registration_close_date TIMESTAMP,
    max_participants INTEGER,
    current_participants INTEGER,
    price NUMERIC(10,2),
    currency VARCHAR(10),
    status VARCHAR(50),
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS raceroster_participants (
    id SERIAL PRIMARY KEY,
    event_id INTEGER REFERENCES raceroster_events(event_id) ON DELETE CASCADE,
    registration_id INTEGER,
    bib_number VARCHAR(20),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    email VARCHAR(255),
    phone VARCHAR(20),
    date_of_birth DATE,
    gender VARCHAR(20),
    address JSONB,
    emergency_contact JSONB,
    team_name VARCHAR(255),
    division VARCHAR(100),
    registration_date TIMESTAMP,
    registration_status VARCHAR(50),
    payment_status VARCHAR(50),
    amount_paid NUMERIC(10,2),
    additional_info JSONB,
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS copernico_events (
    event_id VARCHAR(100) PRIMARY KEY,
    event_name VARCHAR(255),
    event_date TIMESTAMP,
    location VARCHAR(255),
    discipline VARCHAR(100),
    distance NUMERIC(10,2),
    event_type VARCHAR(50),
    organizer VARCHAR(255),
    status VARCHAR(50),
    max_participants INTEGER,
    registration_fee NUMERIC(10,2),
    currency VARCHAR(10),
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW(),
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id)
);

CREATE TABLE IF NOT EXISTS copernico_participants (
    id SERIAL PRIMARY KEY,
    event_id VARCHAR(100) REFERENCES copernico_events(event_id) ON DELETE CASCADE,
    participant_id VARCHAR(100),
    bib_number VARCHAR(20),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    date_of_birth DATE,
    gender VARCHAR(20),
    nationality VARCHAR(50),
    club_team VARCHAR(255),
    category VARCHAR(100),
    license_number VARCHAR(50),
    registration_status VARCHAR(50),
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW(),
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id)
);

CREATE TABLE IF NOT EXISTS copernico_results (
    id SERIAL PRIMARY KEY,
    event_id VARCHAR(100) REFERENCES copernico_events(event_id) ON DELETE CASCADE,
    participant_id VARCHAR(100),
    bib_number VARCHAR(20),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    category VARCHAR(100),
    start_time TIMESTAMP,
    finish_time TIMESTAMP,
    total_time INTERVAL,
    split_times JSONB,
    overall_position INTEGER,
    category_position INTEGER,
    status VARCHAR(20),
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW(),
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id)
);

CREATE TABLE IF NOT EXISTS haku_events (
    event_id VARCHAR(100) PRIMARY KEY,
    event_name VARCHAR(255),
    start_date TIMESTAMP,
    end_date TIMESTAMP,
    location VARCHAR(255),
    event_type VARCHAR(50),
    distance NUMERIC(10,2),
    max_participants INTEGER,
    registration_fee NUMERIC(10,2),
    currency VARCHAR(10),
    status VARCHAR(50),
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS haku_participants (
    id SERIAL PRIMARY KEY,
    event_id VARCHAR(100) REFERENCES haku_events(event_id) ON DELETE CASCADE,
    participant_id VARCHAR(100),
    bib_number VARCHAR(20),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    email VARCHAR(255),
    phone VARCHAR(20),
    date_of_birth DATE,
    gender VARCHAR(20),
    nationality VARCHAR(50),
    emergency_contact JSONB,
    team_affiliation VARCHAR(255),
    category VARCHAR(100),
    registration_date TIMESTAMP,
    payment_status VARCHAR(50),
    amount_paid NUMERIC(10,2),
    special_requirements TEXT,
    fetched_date TIMESTAMP DEFAULT NOW(),
    credentials_used VARCHAR(255),
    timing_partner_id INTEGER REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_runsignup_participants_timing_partner ON runsignup_participants(timing_partner_id);
CREATE INDEX IF NOT EXISTS idx_ct_participants_timing_partner ON ct_participants(timing_partner_id);
CREATE INDEX IF NOT EXISTS idx_raceroster_participants_timing_partner ON raceroster_participants(timing_partner_id);
CREATE INDEX IF NOT EXISTS idx_copernico_participants_timing_partner ON copernico_participants(timing_partner_id);
CREATE INDEX IF NOT EXISTS idx_haku_participants_timing_partner ON haku_participants(timing_partner_id);
CREATE INDEX IF NOT EXISTS idx_runsignup_events_start_time ON runsignup_events(start_time);
CREATE INDEX IF NOT EXISTS idx_raceroster_events_start_date ON raceroster_events(start_date);
CREATE INDEX IF NOT EXISTS idx_haku_events_start_date ON haku_events(start_date);
CREATE INDEX IF NOT EXISTS idx_runsignup_participants_email ON runsignup_participants(email);
CREATE INDEX IF NOT EXISTS idx_runsignup_participants_bib ON runsignup_participants(bib_num);
CREATE INDEX IF NOT EXISTS idx_ct_participants_bib ON ct_participants(entry_bib);
CREATE INDEX IF NOT EXISTS idx_raceroster_participants_bib ON raceroster_participants(bib_number);

INSERT INTO providers (provider_name, provider_type, api_base_url, rate_limit_per_hour) VALUES
  ('runsignup',   'registration', 'https://runsignup.com/Rest',        3600),
  ('chronotrack', 'scoring',      'https://api.chronotrack.com/api',   3600),
  ('raceroster',  'registration', 'https://raceroster.com/api/v1',     3600),
  ('copernico',   'scoring',      'https://api.copernico.cloud',       3600),
  ('haku',        'registration', 'https://api.hakuapp.com/api/v3',    3600)
ON CONFLICT (provider_name) DO NOTHING;
`,
};
