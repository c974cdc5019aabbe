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
 * unified_participants shows the venue columns (is_walk_up, checked_in, checked_in_at,
 * checked_in_by, registered_bib) and a walk-up arm (store/views.ts).
 */
const now = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

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
`,
};
