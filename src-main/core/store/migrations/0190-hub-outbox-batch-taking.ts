import type { Migration } from './types.ts';

/*
 * A batch is now taken in steps (hub/outbox.ts takeBatchInSteps), a SQLite transaction each, with
 * the event loop let run between them. `complete` is 0 while the push that created the batch may
 * still add rows to it. Whoever sends a batch marks it complete first, in the same transaction
 * that reads it out: a batch that another push (or this one after a crash) sends is never grown
 * after, so the rows the hub applies under its id are exactly the rows confirmed under it.
 * Batches taken before this version were taken whole.
 */
export const hubOutboxBatchTaking: Migration = {
  version: 190,
  name: 'hub-outbox-batch-taking',
  up: /* sql */ `
ALTER TABLE hub_outbox_batches ADD COLUMN complete INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1));
`,
};
