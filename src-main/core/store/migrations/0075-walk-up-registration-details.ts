import type { Migration } from './types.ts';

/*
 * What a registration table takes down besides the name (issue 12, item 9), on the walk-up's own
 * row:
 *   shirt_size                                       the size handed over with the packet.
 *   emergency_contact_name, emergency_contact_phone  who to call.
 *   amount_paid (in the event's currency), payment_method ('cash', 'card', 'check', 'comp',
 *                                                    'online', 'other').
 *   waiver_accepted                                  1 when the runner accepted the waiver.
 * The hub's local_participants has no columns for them yet: they are local-only in
 * store/pushable-tables.ts and reach the hub in the walk-up's 'edit' change (field
 * 'walk_up_details', see pickup/walk-ups.ts).
 */
export const walkUpRegistrationDetails: Migration = {
  version: 75,
  name: 'walk-up-registration-details',
  up: /* sql */ `
ALTER TABLE local_participants ADD COLUMN shirt_size TEXT;
ALTER TABLE local_participants ADD COLUMN emergency_contact_name TEXT;
ALTER TABLE local_participants ADD COLUMN emergency_contact_phone TEXT;
ALTER TABLE local_participants ADD COLUMN amount_paid REAL CHECK (amount_paid IS NULL OR amount_paid >= 0);
ALTER TABLE local_participants ADD COLUMN payment_method TEXT
  CHECK (payment_method IS NULL OR payment_method IN ('cash', 'card', 'check', 'comp', 'online', 'other'));
ALTER TABLE local_participants ADD COLUMN waiver_accepted INTEGER NOT NULL DEFAULT 0 CHECK (waiver_accepted IN (0, 1));
`,
};
