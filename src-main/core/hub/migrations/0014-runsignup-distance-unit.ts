import type { HubMigration } from './types.ts';

/*
 * The laptops' runsignup_events.distance_unit (local migration 0122): 'km', 'mi' or 'm' beside the
 * numeric distance. runsignup_events is written through table-wide grants (0003), so the column
 * needs no grant of its own.
 */
export const runsignupDistanceUnit: HubMigration = {
  version: 14,
  name: 'runsignup-distance-unit',
  up: /* sql */ `
ALTER TABLE runsignup_events ADD COLUMN IF NOT EXISTS distance_unit VARCHAR(10);
`,
};
