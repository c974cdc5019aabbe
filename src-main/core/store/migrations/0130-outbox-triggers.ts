import type { Migration } from './types.ts';

/*
 * The outbox is kept by triggers on every pushable table (store/outbox-triggers.ts, recreated
 * after migrations whenever the pushable-table list changes). hub_outbox_control holds the one
 * switch those triggers read: writeWithoutOutbox sets it for the length of one write transaction
 * and clears it before that transaction ends, so no other connection ever sees it set.
 */
export const outboxTriggers: Migration = {
  version: 130,
  name: 'outbox-triggers',
  up: /* sql */ `
CREATE TABLE hub_outbox_control (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))
) STRICT;
INSERT INTO hub_outbox_control (singleton) VALUES (1);
`,
};
