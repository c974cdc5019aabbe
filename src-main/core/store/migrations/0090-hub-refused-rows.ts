import type { Migration } from './types.ts';

/*
 * Rows the hub refused (a constraint or a value it cannot store), set aside by the push so the
 * rows behind them still go (hub/push.ts), and shown on the Sync page with the hub's reason.
 * One row per local row: refused again, its reason is replaced. A later change of the row queues
 * it in the outbox as usual; once the hub takes it, it leaves this list.
 */
export const hubRefusedRows: Migration = {
  version: 90,
  name: 'hub-refused-rows',
  up: /* sql */ `
CREATE TABLE hub_refused_rows (
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  reason TEXT NOT NULL,
  refused_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (table_name, row_key)
) STRICT;
`,
};
