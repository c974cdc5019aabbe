import type { Migration } from './types.ts';

/*
 * runsignup_removed_registrations: what RunSignUp's removed-participants list says about a
 * registration that left an event (removed_reason cleared / removed / transferred / deferred, and
 * for a transfer new_registration_id, field-check.md §2 R3). The registration itself is still
 * deleted from runsignup_participants, so it never counts at pickup; this row keeps the link, and
 * who it was (name and bib, copied from the registration when the removal is first stored), so a
 * lookup of the old registrant can say "transferred to registration 61238855 (Jane Roe)".
 * removed_at is last_modified read in US Eastern time, as ISO-8601 UTC. Local only: the hub has
 * no table for it.
 */
const snapshot = `
  UPDATE runsignup_removed_registrations SET
    first_name = coalesce((SELECT p.first_name FROM runsignup_participants p WHERE p.registration_id = NEW.registration_id), first_name),
    last_name = coalesce((SELECT p.last_name FROM runsignup_participants p WHERE p.registration_id = NEW.registration_id), last_name),
    bib_num = coalesce((SELECT p.bib_num FROM runsignup_participants p WHERE p.registration_id = NEW.registration_id), bib_num)
  WHERE registration_id = NEW.registration_id;`;

export const runsignupRemovedRegistrations: Migration = {
  version: 121,
  name: 'runsignup-removed-registrations',
  up: /* sql */ `
CREATE TABLE runsignup_removed_registrations (
  registration_id INTEGER PRIMARY KEY,
  race_id INTEGER,
  event_id INTEGER NOT NULL,
  removed_reason TEXT,
  new_registration_id INTEGER,
  removed_at TEXT,
  first_name TEXT,
  last_name TEXT,
  bib_num TEXT,
  timing_partner_id INTEGER,
  credentials_used TEXT,
  fetched_date TEXT
) STRICT;
CREATE INDEX runsignup_removed_registrations_new ON runsignup_removed_registrations (new_registration_id);

CREATE TRIGGER runsignup_removed_snapshot_insert AFTER INSERT ON runsignup_removed_registrations BEGIN ${snapshot}
END;
CREATE TRIGGER runsignup_removed_snapshot_update AFTER UPDATE OF removed_reason, new_registration_id, removed_at ON runsignup_removed_registrations BEGIN ${snapshot}
END;
`,
};
