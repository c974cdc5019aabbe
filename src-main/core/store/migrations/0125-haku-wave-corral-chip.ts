import type { Migration } from './types.ts';

/*
 * haku_participants.chip_number, wave and corral: the registration detail's first event category
 * carries chip_number, wave_name and corral_name (field check §6, H1), which the crew needs at the
 * pickup table (wave and corral on the card) and for chip checks. The hub's haku_participants has
 * no columns for them yet, so they are local-only in store/pushable-tables.ts, as shirt_size (0076).
 */
export const hakuWaveCorralChip: Migration = {
  version: 125,
  name: 'haku-wave-corral-chip',
  up: /* sql */ `
ALTER TABLE haku_participants ADD COLUMN chip_number TEXT;
ALTER TABLE haku_participants ADD COLUMN wave TEXT;
ALTER TABLE haku_participants ADD COLUMN corral TEXT;
`,
};
