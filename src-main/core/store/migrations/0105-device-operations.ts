import type { Migration } from './types.ts';

/*
 * Operations a joined device queued while the station was unreachable and replays when it is back
 * (pickup/device-operations.ts). The device names each one with its own operation id; the row is
 * written in the same transaction as the check-in or bib change it made, so a replay of an op the
 * station already applied (the answer was lost on the way back) writes nothing and answers the
 * stored result. Local to this laptop: the hub gets the participant_changes rows, not these.
 */
export const deviceOperations: Migration = {
  version: 105,
  name: 'device-operations',
  up: /* sql */ `
CREATE TABLE device_operations (
  op_id TEXT PRIMARY KEY,
  handler TEXT NOT NULL,
  result TEXT NOT NULL,
  station_name TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
`,
};
