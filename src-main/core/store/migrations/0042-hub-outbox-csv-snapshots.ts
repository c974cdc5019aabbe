import type { Migration } from './types.ts';

/*
 * Batch snapshots as CSV lines (core/hub/outbox.ts): the hub reads them with COPY, which costs it
 * far less than unpacking JSON objects (docs/performance-push.md). row_csv holds a row's line
 * and hub_outbox_batches.columns the columns each table's lines hold, in order ({"table":
 * ["column", ...]}), so a batch taken before a later migration adds a column is still read as it
 * was written. Snapshots in row_data (JSON) taken before this version are still sent: the push
 * turns them into lines.
 */
export const hubOutboxCsvSnapshots: Migration = {
  version: 42,
  name: 'hub-outbox-csv-snapshots',
  up: /* sql */ `
ALTER TABLE hub_outbox ADD COLUMN row_csv TEXT;
ALTER TABLE hub_outbox_batches ADD COLUMN columns TEXT CHECK (columns IS NULL OR json_valid(columns));
`,
};
