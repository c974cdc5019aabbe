import type { Migration } from './types.ts';

/*
 * Name lookups return the first 20 matches in name order. With an index on one name column only,
 * a common prefix ("smi" in a million runners matches tens of thousands) had to be sorted before
 * the first row came out: ~100 ms. Indexes in the exact ORDER BY let SQLite stop after 20 rows.
 */
export const lookupOrderIndexes: Migration = {
  version: 4,
  name: 'lookup-order-indexes',
  up: /* sql */ `
DROP INDEX idx_participant_search_first;
DROP INDEX idx_participant_search_last;
DROP INDEX idx_participant_search_email;
CREATE INDEX idx_participant_search_last_first ON participant_search(last_fold, first_fold);
CREATE INDEX idx_participant_search_first_last ON participant_search(first_fold, last_fold);
CREATE INDEX idx_participant_search_email ON participant_search(email_fold);
`,
};
