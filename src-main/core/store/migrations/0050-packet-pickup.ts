import type { Migration } from './types.ts';

/*
 * Packet pickup at the venue (venue-data contract, /work/shared venue tables):
 *
 * participant_changes  the append-only audit trail: every check-in, undo, bib change and walk-up,
 *                      with station and time. change_id is a UUID made on the laptop so the hub
 *                      push is idempotent. Walk-ups' changes carry source_provider 'local'.
 * participant_state    derived, laptop-only: the current value per (participant, field) under the
 *                      contract's rule (newest changed_at wins, ties by change_id), kept by a
 *                      trigger on participant_changes, so changes pulled from other laptops land
 *                      in the same state as our own. field 'checked_in' holds '1'/'0'.
 * local_participants   walk-up registrations. Indexed in participant_search under the event's
 *                      provider with source_rowid = -rowid: lookups fetch a hit by (provider,
 *                      source_rowid), and negative rowids can never meet a provider table's.
 * walk_up_bib_ranges   per event, the bibs kept free for walk-ups (laptop configuration).
 *
 * A bib changed at the venue is an override, not an edit of the provider row: the next sync
 * rewrites provider rows, and the crew's newer decision must survive it. The override shows in
 * unified_participants.bib_number (registered_bib keeps the provider's) and in
 * participant_search.bib, re-applied by a trigger whenever a sync re-indexes the runner.
 *
 * unified_participants is recreated with the venue columns (is_walk_up, checked_in,
 * checked_in_at, checked_in_by, registered_bib) and a walk-up arm. Its provider arms are a
 * frozen copy of migration 0002's: a later change to an arm must recreate the view after this
 * migration.
 */
const gender = (column: string) => `CASE upper(substr(trim(${column}), 1, 1))
      WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'W' THEN 'F' WHEN 'X' THEN 'X' WHEN 'N' THEN 'X' END`;

const ageOn = (dob: string, day: string) => `CASE WHEN ${dob} IS NOT NULL AND ${day} IS NOT NULL THEN
      (CAST(strftime('%Y', ${day}) AS INTEGER) - CAST(strftime('%Y', ${dob}) AS INTEGER))
      - (strftime('%m-%d', ${day}) < strftime('%m-%d', ${dob})) END`;

/** The venue columns of one arm: `identity` is the provider name participant_changes uses. */
const venueJoins = (identity: string, id: string) => `
LEFT JOIN participant_state ci ON ci.source_provider = '${identity}' AND ci.participant_id = ${id} AND ci.field = 'checked_in'
LEFT JOIN participant_state bo ON bo.source_provider = '${identity}' AND bo.participant_id = ${id} AND bo.field = 'bib_number'`;

const venueColumns = (registeredBib: string, isWalkUp: 0 | 1) => `
       coalesce(bo.value, ${registeredBib}) AS bib_number, ${registeredBib} AS registered_bib, ${isWalkUp} AS is_walk_up,
       CASE WHEN ci.value = '1' THEN 1 ELSE 0 END AS checked_in,
       CASE WHEN ci.value = '1' THEN ci.changed_at END AS checked_in_at,
       CASE WHEN ci.value = '1' THEN ci.station_name END AS checked_in_by`;

const now = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * unified_participants as this migration defines it, with `hakuId` as a Haku runner's
 * participant_id (migration 0083 recreates the view with Haku's event-scoped id).
 */
export const unifiedParticipantsView = (hakuId: string) => /* sql */ `
CREATE VIEW unified_participants AS
SELECT 'runsignup' AS source_provider, p.timing_partner_id, CAST(p.event_id AS TEXT) AS event_id,
       CAST(p.registration_id AS TEXT) AS participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')} AS gender,
       json_extract(p.address, '$.city') AS city,
       json_extract(p.address, '$.state') AS state,
       coalesce(p.age, ${ageOn('p.dob', 'date(coalesce(e.age_calc_base_date, e.start_time))')}) AS age,
       p.dob AS date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used,
       p.rowid AS source_rowid, ${venueColumns('p.bib_num', 0)}
FROM runsignup_participants p LEFT JOIN runsignup_events e ON e.event_id = p.event_id
${venueJoins('runsignup', 'CAST(p.registration_id AS TEXT)')}
UNION ALL
SELECT 'chronotrack', p.timing_partner_id, p.event_id, p.entry_id,
       p.athlete_first_name, p.athlete_last_name, p.athlete_email,
       coalesce(p.athlete_mobile_phone, p.athlete_home_phone), ${gender('p.athlete_sex')},
       json_extract(p.location, '$.city'), json_extract(p.location, '$.region'),
       coalesce(p.entry_race_age, ${ageOn('p.athlete_birthdate', 'date(e.event_start_time)')}),
       p.athlete_birthdate, p.team_name, NULL, p.created_at, p.credentials_used, p.rowid,
       ${venueColumns('p.entry_bib', 0)}
FROM ct_participants p LEFT JOIN ct_events e ON e.event_id = p.event_id
${venueJoins('chronotrack', 'p.entry_id')}
UNION ALL
SELECT 'raceroster', p.timing_partner_id, CAST(p.event_id AS TEXT), CAST(p.registration_id AS TEXT),
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       json_extract(p.address, '$.city'), json_extract(p.address, '$.region'),
       ${ageOn('p.date_of_birth', 'date(e.start_date)')},
       p.date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used, p.rowid,
       ${venueColumns('p.bib_number', 0)}
FROM raceroster_participants p
LEFT JOIN raceroster_events e ON e.event_id = p.event_id AND e.race_id = p.race_id
${venueJoins('raceroster', 'CAST(p.registration_id AS TEXT)')}
UNION ALL
SELECT 'copernico', p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, NULL, NULL, ${gender('p.gender')},
       NULL, NULL,
       ${ageOn('p.date_of_birth', 'date(e.event_date)')},
       p.date_of_birth, p.club_team, NULL, p.fetched_date, p.credentials_used, p.rowid,
       ${venueColumns('p.bib_number', 0)}
FROM copernico_participants p LEFT JOIN copernico_events e ON e.event_id = p.event_id
${venueJoins('copernico', 'p.participant_id')}
UNION ALL
SELECT 'haku', p.timing_partner_id, p.event_id, ${hakuId},
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.city, p.state,
       ${ageOn('p.date_of_birth', 'date(e.start_date)')},
       p.date_of_birth, p.team_affiliation, p.registration_date, p.fetched_date, p.credentials_used, p.rowid,
       ${venueColumns('p.bib_number', 0)}
FROM haku_participants p LEFT JOIN haku_events e ON e.event_id = p.event_id
${venueJoins('haku', hakuId)}
UNION ALL
SELECT p.source_provider, p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, p.email, p.phone, p.gender,
       p.city, p.state,
       ${ageOn('p.date_of_birth', 'date(e.event_date)')},
       p.date_of_birth, p.team_name, p.created_at, p.updated_at, NULL, -p.rowid,
       ${venueColumns('p.bib_number', 1)}
FROM local_participants p
LEFT JOIN unified_events e ON e.source_provider = p.source_provider AND e.event_id = p.event_id
${venueJoins('local', 'p.participant_id')};`;

export const packetPickup: Migration = {
  version: 50,
  name: 'packet-pickup',
  up: /* sql */ `
CREATE TABLE participant_changes (
  change_id TEXT PRIMARY KEY,
  timing_partner_id INTEGER,
  source_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('check_in', 'undo_check_in', 'bib_change', 'walk_up', 'edit')),
  field TEXT,
  old_value TEXT,
  new_value TEXT,
  station_name TEXT NOT NULL,
  changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX idx_participant_changes_participant ON participant_changes(source_provider, participant_id, changed_at);
CREATE INDEX idx_participant_changes_changed_at ON participant_changes(changed_at);

CREATE TABLE local_participants (
  participant_id TEXT PRIMARY KEY,
  timing_partner_id INTEGER,
  source_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  first_name TEXT,
  last_name TEXT,
  gender TEXT CHECK (gender IS NULL OR gender IN ('M', 'F', 'X')),
  date_of_birth TEXT,
  email TEXT,
  phone TEXT,
  city TEXT,
  state TEXT,
  bib_number TEXT,
  team_name TEXT,
  station_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX idx_local_participants_event ON local_participants(source_provider, event_id);

CREATE TABLE participant_state (
  source_provider TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT,
  event_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  station_name TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  change_id TEXT NOT NULL,
  PRIMARY KEY (source_provider, participant_id, field)
) STRICT, WITHOUT ROWID;
CREATE INDEX idx_participant_state_checked_in ON participant_state(field, value);

CREATE TABLE walk_up_bib_ranges (
  event_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  first_bib INTEGER NOT NULL CHECK (first_bib >= 0),
  last_bib INTEGER NOT NULL CHECK (last_bib >= first_bib),
  updated_at TEXT NOT NULL DEFAULT (${now}),
  PRIMARY KEY (event_provider, event_id)
) STRICT;

CREATE INDEX idx_participant_search_event ON participant_search(provider, event_id);

-- Current state per (participant, field): newest changed_at wins, ties broken by change_id.
CREATE TRIGGER participant_changes_state AFTER INSERT ON participant_changes
WHEN NEW.kind IN ('check_in', 'undo_check_in') OR (NEW.kind IN ('bib_change', 'edit') AND NEW.field IS NOT NULL)
BEGIN
  INSERT INTO participant_state
    (source_provider, participant_id, field, value, event_provider, event_id, station_name, changed_at, change_id)
  VALUES (
    NEW.source_provider, NEW.participant_id,
    CASE WHEN NEW.kind IN ('check_in', 'undo_check_in') THEN 'checked_in' ELSE NEW.field END,
    CASE NEW.kind WHEN 'check_in' THEN '1' WHEN 'undo_check_in' THEN '0' ELSE NEW.new_value END,
    CASE WHEN NEW.source_provider = 'local'
      THEN coalesce((SELECT source_provider FROM local_participants WHERE participant_id = NEW.participant_id), 'local')
      ELSE NEW.source_provider END,
    NEW.event_id, NEW.station_name, NEW.changed_at, NEW.change_id)
  ON CONFLICT (source_provider, participant_id, field) DO UPDATE SET
    value = excluded.value, event_provider = excluded.event_provider, event_id = excluded.event_id,
    station_name = excluded.station_name, changed_at = excluded.changed_at, change_id = excluded.change_id
  WHERE excluded.changed_at > participant_state.changed_at
     OR (excluded.changed_at = participant_state.changed_at AND excluded.change_id > participant_state.change_id);
END;

-- A bib override shows in the lookup index at once, and survives a sync re-indexing the runner.
CREATE TRIGGER participant_state_bib_insert AFTER INSERT ON participant_state WHEN NEW.field = 'bib_number' BEGIN
  UPDATE participant_search SET bib = NEW.value
  WHERE provider = CASE NEW.source_provider WHEN 'local' THEN NEW.event_provider ELSE NEW.source_provider END
    AND participant_id = NEW.participant_id;
END;
CREATE TRIGGER participant_state_bib_update AFTER UPDATE ON participant_state WHEN NEW.field = 'bib_number' BEGIN
  UPDATE participant_search SET bib = NEW.value
  WHERE provider = CASE NEW.source_provider WHEN 'local' THEN NEW.event_provider ELSE NEW.source_provider END
    AND participant_id = NEW.participant_id;
END;
CREATE TRIGGER participant_search_bib_override AFTER INSERT ON participant_search
WHEN NEW.source_rowid > 0 AND EXISTS (
  SELECT 1 FROM participant_state
  WHERE source_provider = NEW.provider AND participant_id = NEW.participant_id AND field = 'bib_number')
BEGIN
  UPDATE participant_search SET bib = (
    SELECT value FROM participant_state
    WHERE source_provider = NEW.provider AND participant_id = NEW.participant_id AND field = 'bib_number')
  WHERE provider = NEW.provider AND participant_id = NEW.participant_id;
END;

CREATE TRIGGER local_participants_search_insert AFTER INSERT ON local_participants BEGIN
  INSERT OR REPLACE INTO participant_search VALUES (NEW.source_provider, NEW.participant_id, -NEW.rowid, NEW.event_id,
    NEW.bib_number, rd_fold(NEW.first_name), rd_fold(NEW.last_name), rd_fold(NEW.email), rd_digits(NEW.phone));
END;
CREATE TRIGGER local_participants_search_update AFTER UPDATE ON local_participants BEGIN
  DELETE FROM participant_search WHERE provider = OLD.source_provider AND participant_id = OLD.participant_id;
  INSERT OR REPLACE INTO participant_search VALUES (NEW.source_provider, NEW.participant_id, -NEW.rowid, NEW.event_id,
    NEW.bib_number, rd_fold(NEW.first_name), rd_fold(NEW.last_name), rd_fold(NEW.email), rd_digits(NEW.phone));
END;
CREATE TRIGGER local_participants_search_delete AFTER DELETE ON local_participants BEGIN
  DELETE FROM participant_search WHERE provider = OLD.source_provider AND participant_id = OLD.participant_id;
END;

DROP VIEW unified_participants;
${unifiedParticipantsView('p.participant_id')}
`,
};
