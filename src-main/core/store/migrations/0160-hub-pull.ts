import type { Migration } from './types.ts';

/*
 * The hub pull's bookkeeping (hub/pull.ts). hub_pull_cursors: per pulled table, the highest hub
 * change_seq this laptop holds, advanced in the same transaction as the rows it covers, so a pull
 * killed at any point resumes exactly where its last committed batch ended. The cursors belong to
 * one hub and partner (hub_pull_state.source): pulled from another, the laptop starts again from 0.
 */
export const hubPull: Migration = {
  version: 160,
  name: 'hub-pull',
  up: /* sql */ `
CREATE TABLE hub_pull_cursors (
  table_name TEXT PRIMARY KEY,
  change_seq INTEGER NOT NULL
) STRICT;

CREATE TABLE hub_pull_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  source TEXT,
  last_pull_at TEXT,
  rows_pulled INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_error_at TEXT
) STRICT;
INSERT INTO hub_pull_state (singleton) VALUES (1);
`,
};
