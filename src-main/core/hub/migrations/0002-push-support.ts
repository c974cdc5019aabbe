import type { HubMigration } from './types.ts';

/*
 * What the laptops' push needs on top of the seed.
 *
 * Laptop-side columns: every column a pushable local table has (store/migrations 0001, 0010, 0030)
 * exists on the hub under the same name, so the hub holds what the laptop holds.
 *
 * Natural keys: the same keys as the local store (see the comment atop
 * store/migrations/0001-initial.ts), each scoped by timing_partner_id, as unique indexes: they
 * are what INSERT ... ON CONFLICT (PostgreSQL 9.5+; MERGE would need 15) matches on, so a row
 * pushed twice is updated, never doubled. The seed's own primary keys stay as they are (version 5
 * drops the global ones on provider ids). Rows from
 * before RaceDesk (timing_partner_id or key NULL) never collide: NULLs are distinct in a unique
 * index, which is what we want here and all PostgreSQL 13 offers (NULLS NOT DISTINCT is 15+).
 * If the hub already holds two rows with one key, the migration stops and says where, rather
 * than choosing which copy to delete.
 *
 * raceroster_events: the seed keys it by event_id alone, but a Race Roster event has several
 * sub-events (distances), each its own row (local key (event_id, race_id)), so the seed's primary
 * key and the participants' foreign key to it are replaced by the (partner, event_id, race_id)
 * key. The seed marks Race Roster "ready for data" with no rows, so nothing is lost.
 *
 * sync_history: the local id is only unique per laptop, so hub rows carry laptop_id + local_id.
 */
interface NaturalKey {
  table: string;
  columns: string[];
}

const naturalKeys: NaturalKey[] = [
  { table: 'runsignup_events', columns: ['event_id'] },
  { table: 'ct_events', columns: ['event_id'] },
  { table: 'raceroster_events', columns: ['event_id', 'race_id'] },
  { table: 'copernico_events', columns: ['event_id'] },
  { table: 'haku_events', columns: ['event_id'] },
  { table: 'runsignup_participants', columns: ['registration_id'] },
  { table: 'ct_participants', columns: ['entry_id'] },
  { table: 'raceroster_participants', columns: ['registration_id'] },
  { table: 'copernico_participants', columns: ['event_id', 'participant_id'] },
  { table: 'haku_participants', columns: ['participant_id'] },
  { table: 'ct_results', columns: ['event_id', 'entry_id'] },
  { table: 'copernico_results', columns: ['event_id', 'participant_id'] },
  { table: 'sync_history', columns: ['laptop_id', 'local_id'] },
];

function uniqueNaturalKey({ table, columns }: NaturalKey): string {
  const all = ['timing_partner_id', ...columns];
  const notNull = all.map((c) => `${c} IS NOT NULL`).join(' AND ');
  const shown = columns.map((c) => `${c} %`).join(', ');
  return `
DO $$
DECLARE duplicate record;
BEGIN
  SELECT timing_partner_id, ${columns.join(', ')}, count(*) AS copies INTO duplicate
  FROM ${table} WHERE ${notNull} GROUP BY ${all.join(', ')} HAVING count(*) > 1 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'The hub table ${table} holds % rows for timing partner % and ${shown}: remove the older copies, then run racedesk hub migrate again.',
      duplicate.copies, duplicate.timing_partner_id, ${columns.map((c) => `duplicate.${c}`).join(', ')};
  END IF;
END $$;
CREATE UNIQUE INDEX IF NOT EXISTS ${table}_natural_key ON ${table} (${all.join(', ')});`;
}

export const pushSupport: HubMigration = {
  version: 2,
  name: 'push-support',
  up: /* sql */ `
ALTER TABLE runsignup_events ADD COLUMN IF NOT EXISTS race_name VARCHAR(255);
ALTER TABLE runsignup_participants ADD COLUMN IF NOT EXISTS last_modified BIGINT;

ALTER TABLE ct_events ADD COLUMN IF NOT EXISTS event_date DATE;
ALTER TABLE ct_events ADD COLUMN IF NOT EXISTS event_end_time TIMESTAMP;
ALTER TABLE ct_events ADD COLUMN IF NOT EXISTS time_zone VARCHAR(64);
ALTER TABLE ct_events ADD COLUMN IF NOT EXISTS is_published BOOLEAN;
ALTER TABLE ct_participants ADD COLUMN IF NOT EXISTS race_name VARCHAR(255);
ALTER TABLE ct_participants ADD COLUMN IF NOT EXISTS reg_choice_name VARCHAR(255);
ALTER TABLE ct_participants ADD COLUMN IF NOT EXISTS wave_name VARCHAR(255);
ALTER TABLE ct_participants ADD COLUMN IF NOT EXISTS bracket_name VARCHAR(255);
-- The seed has no entry id on results; bibs get reassigned, so the entry identifies a result.
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS entry_id VARCHAR(100);
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_race_id VARCHAR(100);
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_race_name VARCHAR(255);
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_primary_bracket_name VARCHAR(255);
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_pace VARCHAR(50);
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_begin_chip_time TIMESTAMP;
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_end_chip_time TIMESTAMP;
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS split_times JSONB;

ALTER TABLE raceroster_participants ADD COLUMN IF NOT EXISTS race_id INTEGER;
ALTER TABLE raceroster_participants DROP CONSTRAINT IF EXISTS raceroster_participants_event_id_fkey;
ALTER TABLE raceroster_events DROP CONSTRAINT IF EXISTS raceroster_events_pkey;

ALTER TABLE copernico_results ADD COLUMN IF NOT EXISTS gun_time INTERVAL;

ALTER TABLE haku_participants ADD COLUMN IF NOT EXISTS city VARCHAR(100);
ALTER TABLE haku_participants ADD COLUMN IF NOT EXISTS state VARCHAR(100);

ALTER TABLE sync_history ADD COLUMN IF NOT EXISTS account_label VARCHAR(100);
ALTER TABLE sync_history ADD COLUMN IF NOT EXISTS event_id VARCHAR(100);
ALTER TABLE sync_history ADD COLUMN IF NOT EXISTS job_id INTEGER;
ALTER TABLE sync_history ADD COLUMN IF NOT EXISTS laptop_id VARCHAR(64);
ALTER TABLE sync_history ADD COLUMN IF NOT EXISTS local_id INTEGER;
${naturalKeys.map(uniqueNaturalKey).join('\n')}

-- Venue data (the venue-data contract): the same names as the laptops' tables.
-- changed_at stays the laptop's ISO-8601 UTC text: "newest edit wins" compares it, with
-- change_id as tie-break, byte for byte (COLLATE "C"), exactly as SQLite does on the laptop.
CREATE TABLE IF NOT EXISTS participant_changes (
    timing_partner_id INTEGER NOT NULL REFERENCES timing_partners(timing_partner_id),
    change_id VARCHAR(64) NOT NULL,
    source_provider VARCHAR(100) NOT NULL,
    event_id VARCHAR(100) NOT NULL,
    participant_id VARCHAR(100) NOT NULL,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('check_in', 'undo_check_in', 'bib_change', 'walk_up', 'edit')),
    field VARCHAR(100),
    old_value TEXT,
    new_value TEXT,
    station_name VARCHAR(255) NOT NULL,
    changed_at TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (timing_partner_id, change_id)
);
CREATE INDEX IF NOT EXISTS idx_participant_changes_participant
    ON participant_changes (timing_partner_id, source_provider, event_id, participant_id);

CREATE TABLE IF NOT EXISTS local_participants (
    timing_partner_id INTEGER NOT NULL REFERENCES timing_partners(timing_partner_id),
    participant_id VARCHAR(64) NOT NULL,
    source_provider VARCHAR(100) NOT NULL,
    event_id VARCHAR(100) NOT NULL,
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    gender VARCHAR(20),
    date_of_birth DATE,
    email VARCHAR(255),
    phone VARCHAR(50),
    city VARCHAR(100),
    state VARCHAR(100),
    bib_number VARCHAR(20),
    team_name VARCHAR(255),
    station_name VARCHAR(255) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (timing_partner_id, participant_id)
);
CREATE INDEX IF NOT EXISTS idx_local_participants_event ON local_participants (timing_partner_id, source_provider, event_id);

CREATE TABLE IF NOT EXISTS crew_results (
    id SERIAL PRIMARY KEY,
    timing_partner_id INTEGER NOT NULL REFERENCES timing_partners(timing_partner_id),
    source_provider VARCHAR(100) NOT NULL,
    event_id VARCHAR(100) NOT NULL,
    participant_id VARCHAR(100) NOT NULL,
    bib_number VARCHAR(20),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    gender VARCHAR(20),
    age INTEGER,
    age_group VARCHAR(100),
    chip_time_ms BIGINT,
    gun_time_ms BIGINT,
    splits JSONB,
    status VARCHAR(10) NOT NULL,
    overall_place INTEGER,
    gender_place INTEGER,
    age_group_place INTEGER,
    import_id VARCHAR(64),
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS crew_results_natural_key ON crew_results (timing_partner_id, source_provider, event_id, participant_id);

-- Batches the hub has applied, per laptop: a batch id seen again is skipped, so a push that
-- died after the hub committed but before the laptop heard back is harmless to repeat.
CREATE TABLE IF NOT EXISTS hub_applied_batches (
    batch_id UUID PRIMARY KEY,
    timing_partner_id INTEGER NOT NULL REFERENCES timing_partners(timing_partner_id),
    laptop_id VARCHAR(64) NOT NULL,
    row_count INTEGER NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_hub_applied_batches_laptop ON hub_applied_batches (timing_partner_id, laptop_id, applied_at);
`,
};
