import type { Migration } from './types.ts';

/*
 * runsignup_removed_registrations.email: the old registrant's e-mail, copied from the registration
 * when the removal is first stored (as 0121 copies name and bib), so a lookup of the e-mail a
 * runner gives at the table also says where the registration went. Rows stored before this have
 * no e-mail: their registrations are already deleted.
 */
const snapshot = `
  UPDATE runsignup_removed_registrations SET
    first_name = coalesce((SELECT p.first_name FROM runsignup_participants p WHERE p.registration_id = NEW.registration_id), first_name),
    last_name = coalesce((SELECT p.last_name FROM runsignup_participants p WHERE p.registration_id = NEW.registration_id), last_name),
    bib_num = coalesce((SELECT p.bib_num FROM runsignup_participants p WHERE p.registration_id = NEW.registration_id), bib_num),
    email = coalesce((SELECT p.email FROM runsignup_participants p WHERE p.registration_id = NEW.registration_id), email)
  WHERE registration_id = NEW.registration_id;`;

export const runsignupRemovedEmail: Migration = {
  version: 195,
  name: 'runsignup-removed-email',
  up: /* sql */ `
ALTER TABLE runsignup_removed_registrations ADD COLUMN email TEXT;
DROP TRIGGER runsignup_removed_snapshot_insert;
DROP TRIGGER runsignup_removed_snapshot_update;
CREATE TRIGGER runsignup_removed_snapshot_insert AFTER INSERT ON runsignup_removed_registrations BEGIN ${snapshot}
END;
CREATE TRIGGER runsignup_removed_snapshot_update AFTER UPDATE OF removed_reason, new_registration_id, removed_at ON runsignup_removed_registrations BEGIN ${snapshot}
END;
`,
};
