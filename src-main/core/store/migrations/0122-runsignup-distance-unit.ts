import type { Migration } from './types.ts';

/*
 * runsignup_events.distance_unit ('km', 'mi' or 'm'): RunSignUp's distance is free text ("5K",
 * "3.1 Miles"), and the seed's numeric distance alone mixes kilometres and miles. NULL where the
 * text names no unit. Hub migration 0014 adds the same column.
 */
export const runsignupDistanceUnit: Migration = {
  version: 122,
  name: 'runsignup-distance-unit',
  up: /* sql */ `
ALTER TABLE runsignup_events ADD COLUMN distance_unit TEXT CHECK (distance_unit IN ('km', 'mi', 'm'));
`,
};
