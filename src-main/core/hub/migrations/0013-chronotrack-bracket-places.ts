import type { HubMigration } from './types.ts';

/*
 * The laptops' ct_results.results_gender_rank and results_age_group_rank (local migration 0120):
 * places within the SEX and AGE brackets. ct_results is one of the tables whose partners may write
 * only the columns granted to them (0005), so the new columns are granted the same way.
 */
export const chronotrackBracketPlaces: HubMigration = {
  version: 13,
  name: 'chronotrack-bracket-places',
  up: /* sql */ `
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_gender_rank INTEGER;
ALTER TABLE ct_results ADD COLUMN IF NOT EXISTS results_age_group_rank INTEGER;
GRANT INSERT (results_gender_rank, results_age_group_rank), UPDATE (results_gender_rank, results_age_group_rank) ON ct_results TO racedesk_partner;
`,
};
