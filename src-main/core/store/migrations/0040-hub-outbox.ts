import type { Migration } from './types.ts';

/*
 * The hub outbox (see core/hub/outbox.ts) and this laptop's push state.
 *
 * batch_id/row_data: a push first assigns entries to a batch and copies their rows, then sends
 * the batch; an entry leaves the outbox only once the hub confirmed its batch. The partial unique
 * index lets waiting entries coalesce per row while entries of a batch in flight stay untouched.
 * laptop_id names this laptop on the hub (its applied batches, its sync_history rows).
 *
 * Rows synced before this version existed are queued once here, so they reach the hub too.
 * Keys are written as json_object(...) — the same text canonicalKey() produces.
 */
const existingRows: Array<[table: string, key: string[]]> = [
  ['runsignup_events', ['event_id']],
  ['ct_events', ['event_id']],
  ['raceroster_events', ['event_id', 'race_id']],
  ['copernico_events', ['event_id']],
  ['haku_events', ['event_id']],
  ['runsignup_participants', ['registration_id']],
  ['ct_participants', ['entry_id']],
  ['raceroster_participants', ['registration_id']],
  ['copernico_participants', ['event_id', 'participant_id']],
  ['haku_participants', ['participant_id']],
  ['ct_results', ['event_id', 'entry_id']],
  ['copernico_results', ['event_id', 'participant_id']],
  ['sync_history', ['id']],
];

const queueExisting = existingRows
  .map(
    ([table, key]) =>
      `INSERT INTO hub_outbox (table_name, row_key, op) SELECT '${table}', json_object(${key
        .map((c) => `'${c}', ${c}`)
        .join(', ')}), 'upsert' FROM ${table};`,
  )
  .join('\n');

export const hubOutbox: Migration = {
  version: 40,
  name: 'hub-outbox',
  up: /* sql */ `
CREATE TABLE hub_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL CHECK (json_valid(row_key)),
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  batch_id TEXT,
  row_data TEXT CHECK (row_data IS NULL OR json_valid(row_data))
) STRICT;
CREATE UNIQUE INDEX hub_outbox_waiting ON hub_outbox(table_name, row_key) WHERE batch_id IS NULL;
CREATE INDEX hub_outbox_batch ON hub_outbox(batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE hub_push_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  laptop_id TEXT NOT NULL,
  last_push_at TEXT,
  rows_pushed INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_error_at TEXT
) STRICT;
INSERT INTO hub_push_state (singleton, laptop_id) VALUES (1, lower(hex(randomblob(16))));

${queueExisting}
`,
};
