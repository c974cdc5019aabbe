import type { Migration } from './types.ts';

/*
 * The RunSignUp result set each event's results were published into (core/results/publish-runsignup.ts).
 * RunSignUp keeps every result set it is given, so a second publish that created another would
 * show the runners twice on the race's results page: remembering the set lets a re-publish clear
 * and refill that one instead. Keyed by race and event, as RunSignUp addresses a result set.
 * The account is the one that created the set (another account may not be allowed to clear it).
 */
export const runsignupResultSets: Migration = {
  version: 175,
  name: 'runsignup-result-sets',
  up: /* sql */ `
CREATE TABLE runsignup_result_sets (
  race_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  result_set_id TEXT NOT NULL,
  account TEXT NOT NULL,
  published_at TEXT NOT NULL,
  rows_accepted INTEGER NOT NULL CHECK (rows_accepted >= 0),
  rows_rejected INTEGER NOT NULL CHECK (rows_rejected >= 0),
  PRIMARY KEY (race_id, event_id)
) STRICT;
`,
};
