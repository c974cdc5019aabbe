import type { Migration } from './types.ts';

/*
 * Award rules beside the other per-event results settings (migration 0060):
 *   age_basis               the day ages are taken on for age groups: 'race_day' (most road
 *                           races), 'year_end' (31 December of the race year) or 'provider_date'
 *                           (RunSignUp's age_calc_base_date).
 *   exclude_overall_places  the top N of each gender overall (per race) take no age-group place,
 *                           so the next runner moves up; 0 excludes nobody.
 * Existing events keep what they had: race day and no exclusion.
 */
export const awardRules: Migration = {
  version: 61,
  name: 'award-rules',
  up: /* sql */ `
ALTER TABLE results_event_settings ADD COLUMN age_basis TEXT NOT NULL DEFAULT 'race_day'
  CHECK (age_basis IN ('race_day', 'year_end', 'provider_date'));
ALTER TABLE results_event_settings ADD COLUMN exclude_overall_places INTEGER NOT NULL DEFAULT 0
  CHECK (exclude_overall_places >= 0);
`,
};
