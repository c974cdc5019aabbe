import type { HubMigration } from './types.ts';

/*
 * The laptops' haku_participants.shirt_size (local migration 0076), chip_number, wave and corral
 * (0125): what the pickup card shows and chip checks read, so a second laptop gets them from the
 * hub. haku_participants is written through column grants (0005), so the new columns are granted
 * the same way.
 */
export const hakuPickupFields: HubMigration = {
  version: 28,
  name: 'haku-pickup-fields',
  up: /* sql */ `
ALTER TABLE haku_participants ADD COLUMN IF NOT EXISTS shirt_size TEXT;
ALTER TABLE haku_participants ADD COLUMN IF NOT EXISTS chip_number TEXT;
ALTER TABLE haku_participants ADD COLUMN IF NOT EXISTS wave TEXT;
ALTER TABLE haku_participants ADD COLUMN IF NOT EXISTS corral TEXT;
GRANT INSERT (shirt_size, chip_number, wave, corral), UPDATE (shirt_size, chip_number, wave, corral) ON haku_participants TO racedesk_partner;
`,
};
