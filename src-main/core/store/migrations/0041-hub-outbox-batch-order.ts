import type { Migration } from './types.ts';

/*
 * The order batches were taken in. The push now prepares the next batch while the hub applies the
 * current one, so two batches can be in flight at once; after a crash they must be resent in the
 * order they were taken (a row changed between the two is in both, and the later snapshot must
 * land last). A local sequence, not a clock: a laptop's clock jumps when it finds a network again.
 * Until now at most one batch was ever in flight, so existing ones need no particular order.
 */
export const hubOutboxBatchOrder: Migration = {
  version: 41,
  name: 'hub-outbox-batch-order',
  up: /* sql */ `
CREATE TABLE hub_outbox_batches (
  taken INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO hub_outbox_batches (batch_id) SELECT DISTINCT batch_id FROM hub_outbox WHERE batch_id IS NOT NULL;
`,
};
