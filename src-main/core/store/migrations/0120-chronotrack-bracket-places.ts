import type { Migration } from './types.ts';

/*
 * ct_results.results_gender_rank and results_age_group_rank: the runner's place in its SEX and
 * AGE brackets, read from GET /bracket/{id}/results (field-check.md §3). results_rank stays the
 * overall place the event results report. Hub migration 0013 adds the same columns.
 */
export const chronotrackBracketPlaces: Migration = {
  version: 120,
  name: 'chronotrack-bracket-places',
  up: /* sql */ `
ALTER TABLE ct_results ADD COLUMN results_gender_rank INTEGER;
ALTER TABLE ct_results ADD COLUMN results_age_group_rank INTEGER;
`,
};
