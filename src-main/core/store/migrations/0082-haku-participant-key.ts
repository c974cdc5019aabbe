import type { Migration } from './types.ts';
import { nameKeySearchTriggers } from './0070-name-tokens.ts';

/*
 * Haku registration numbers are only known to be unique within an event: Project88Hub's
 * production backfill keys Haku participants by (event_id, participant_id, timing_partner_id)
 * (field check §0 item 4). Keyed by participant_id alone, a sync of event B silently overwrote
 * event A's runner with the same number. The table is rebuilt with UNIQUE (event_id,
 * participant_id); every existing row keeps its data (none can collide: they were unique before).
 *
 * legacy_alter_table: the rename must not rewrite or check the views that name haku_participants
 * (they name the new table once it carries the name). The search triggers went with the old
 * table and are created again, as 0070 defines them (with the name key); shirt_size (0076) is kept. Waiting hub outbox entries are re-keyed to the new key.
 */
const hakuSearch = {
  provider: 'haku',
  table: 'haku_participants',
  id: 'participant_id',
  eventId: 'event_id',
  bib: 'bib_number',
  first: 'first_name',
  last: 'last_name',
  email: 'email',
  phone: 'phone',
};

export const hakuParticipantKey: Migration = {
  version: 82,
  name: 'haku-participant-key',
  up: /* sql */ `
PRAGMA legacy_alter_table = ON;
CREATE TABLE haku_participants_keyed (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES haku_events(event_id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
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
  city TEXT,
  state TEXT,
  shirt_size TEXT,
  UNIQUE (event_id, participant_id)
) STRICT;
INSERT INTO haku_participants_keyed SELECT id, event_id, participant_id, bib_number, first_name, last_name, email, phone,
  date_of_birth, gender, nationality, emergency_contact, team_affiliation, category, registration_date, payment_status,
  amount_paid, special_requirements, fetched_date, credentials_used, timing_partner_id, created_at, city, state, shirt_size
FROM haku_participants;
DROP TABLE haku_participants;
ALTER TABLE haku_participants_keyed RENAME TO haku_participants;
CREATE INDEX idx_haku_participants_timing_partner ON haku_participants(timing_partner_id);
CREATE INDEX idx_haku_participants_bib ON haku_participants(bib_number);
${nameKeySearchTriggers(hakuSearch)}
CREATE TRIGGER haku_participants_search_delete AFTER DELETE ON haku_participants BEGIN
  DELETE FROM participant_search WHERE provider = 'haku' AND participant_id = CAST(OLD.participant_id AS TEXT);
END;
UPDATE hub_outbox SET row_key = (
  SELECT json_object('event_id', p.event_id, 'participant_id', p.participant_id) FROM haku_participants p
  WHERE p.participant_id = json_extract(hub_outbox.row_key, '$.participant_id')
)
WHERE table_name = 'haku_participants' AND batch_id IS NULL AND op = 'upsert'
  AND EXISTS (SELECT 1 FROM haku_participants p WHERE p.participant_id = json_extract(hub_outbox.row_key, '$.participant_id'));
PRAGMA legacy_alter_table = OFF;
`,
};
