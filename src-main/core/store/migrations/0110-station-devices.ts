import type { Migration } from './types.ts';

/*
 * Devices joined to this station (station-access/devices.ts). Each device exchanged a one-time
 * pairing code for a token of its own; only the token's SHA-256 is kept, so a copy of the
 * database opens no door. Pairing codes are short-lived and single-use and kept as shown (the
 * Settings screen shows the current one). Failed attempts are kept for the rate limit and for the
 * crew to see who is guessing.
 */
export const stationDevices: Migration = {
  version: 110,
  name: 'station-devices',
  up: /* sql */ `
CREATE TABLE station_devices (
  device_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('venue', 'admin')),
  token_hash TEXT NOT NULL UNIQUE,
  paired_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_seen_at TEXT,
  revoked_at TEXT
) STRICT;

CREATE TABLE station_pairing_codes (
  code TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('venue', 'admin')),
  expires_at TEXT NOT NULL,
  used_at TEXT,
  used_by TEXT REFERENCES station_devices (device_id)
) STRICT;

CREATE TABLE station_pairing_failures (
  id INTEGER PRIMARY KEY,
  remote_address TEXT NOT NULL,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX station_pairing_failures_by_address ON station_pairing_failures (remote_address, at);
`,
};
