import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Core } from '../core.ts';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';

/*
 * The devices joined to this station. A device shows a pairing code once (typed, or carried by
 * the QR code's address) and gets a token of its own in exchange, which it keeps until the
 * station laptop revokes it. Codes are single-use and expire; a wrong one is recorded, and an
 * address that keeps guessing is made to wait.
 */
export type DeviceRole = 'venue' | 'admin';

export interface JoinedDevice {
  deviceId: string;
  name: string;
  role: DeviceRole;
  pairedAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export interface PairingCode {
  /** Eight characters shown as ABCD-EFGH, from an alphabet without look-alikes (no 0/O, 1/I/L). */
  code: string;
  role: DeviceRole;
  expiresAt: string;
}

export const pairingCodeLifetimeMs = 15 * 60_000;
/** Wrong codes one address may try within `failureWindowMs` before it has to wait. */
export const allowedFailures = 5;
export const failureWindowMs = 10 * 60_000;

const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function newCode(): string {
  // 31 symbols: rejection sampling keeps every symbol equally likely.
  let code = '';
  while (code.length < 8) {
    for (const byte of randomBytes(16)) {
      if (byte < 31 * 8 && code.length < 8) code += codeAlphabet[byte % 31];
    }
  }
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** As typed: any case, with or without the dash or spaces. Null when it cannot be a code at all. */
export function normalizeCode(typed: string): string | null {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== 8 || [...compact].some((c) => !codeAlphabet.includes(c))) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();

export function createPairingCode(db: Db, role: DeviceRole, now = Date.now()): PairingCode {
  const code: PairingCode = { code: newCode(), role, expiresAt: iso(now + pairingCodeLifetimeMs) };
  db.prepare('INSERT INTO station_pairing_codes (code, role, expires_at) VALUES (?, ?, ?)').run(code.code, role, code.expiresAt);
  return code;
}

/** The venue code the station shows now: the newest one still open, or a fresh one. */
export function currentVenueCode(db: Db, now = Date.now()): PairingCode {
  const open = db
    .prepare(`SELECT code, role, expires_at AS expiresAt FROM station_pairing_codes WHERE role = 'venue' AND used_at IS NULL AND expires_at > ? ORDER BY expires_at DESC LIMIT 1`)
    .get(iso(now + 60_000)) as PairingCode | undefined;
  return open ?? createPairingCode(db, 'venue', now);
}

export interface Paired {
  token: string;
  device: JoinedDevice;
}

/** Exchanges a pairing code for a device token; the code is spent in the same transaction. */
export function pairDevice(core: Core, request: { code: string; deviceName: string; remoteAddress: string }, now = Date.now()): Paired {
  const { db } = core;
  const since = iso(now - failureWindowMs);
  const failures = db.prepare('SELECT count(*) AS n, min(at) AS first FROM station_pairing_failures WHERE remote_address = ? AND at > ?').get(request.remoteAddress, since) as {
    n: number;
    first: string | null;
  };
  if (failures.n >= allowedFailures) {
    const minutes = Math.max(1, Math.ceil((Date.parse(failures.first ?? iso(now)) + failureWindowMs - now) / 60_000));
    throw new RaceDeskError('rate_limited', `Too many wrong pairing codes from this device. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then type the code the station laptop shows now (Settings › Station).`);
  }
  const name = request.deviceName.trim();
  if (!name || name.length > 60) throw new RaceDeskError('invalid_input', 'Give this device a name of 1 to 60 characters (e.g. “Table 2”), so the crew can tell which table did what.');
  const code = normalizeCode(request.code);
  const paired = db.transaction((): Paired | null => {
    const row = code
      ? (db.prepare('SELECT role FROM station_pairing_codes WHERE code = ? AND used_at IS NULL AND expires_at > ?').get(code, iso(now)) as { role: DeviceRole } | undefined)
      : undefined;
    if (!row) {
      db.prepare('INSERT INTO station_pairing_failures (remote_address, at) VALUES (?, ?)').run(request.remoteAddress, iso(now));
      return null;
    }
    const token = `rdv_${randomBytes(32).toString('base64url')}`;
    const device: JoinedDevice = { deviceId: randomUUID(), name, role: row.role, pairedAt: iso(now), lastSeenAt: iso(now), revokedAt: null };
    db.prepare('INSERT INTO station_devices (device_id, name, role, token_hash, paired_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      device.deviceId,
      device.name,
      device.role,
      hashToken(token),
      device.pairedAt,
      device.lastSeenAt,
    );
    db.prepare('UPDATE station_pairing_codes SET used_at = ?, used_by = ? WHERE code = ?').run(iso(now), device.deviceId, code);
    return { token, device };
  })();
  if (!paired) {
    core.log.warn(`Station: a wrong pairing code was tried from ${request.remoteAddress}.`);
    throw new RaceDeskError(
      'unauthorized',
      `“${request.code.trim()}” is not a pairing code of this station, or it expired or was already used. Type the code the station laptop shows now (Settings › Station); each code lets one device join.`,
    );
  }
  core.log.info(`Station: “${paired.device.name}” joined as a ${paired.device.role === 'admin' ? 'admin' : 'venue'} device.`);
  core.events.emit('data.changed', { area: 'devices' });
  return paired;
}

const deviceColumns = 'device_id AS deviceId, name, role, paired_at AS pairedAt, last_seen_at AS lastSeenAt, revoked_at AS revokedAt';

/** The device a token belongs to, unless it was revoked; notes when it was last seen. */
export function deviceForToken(db: Db, token: string, now = Date.now()): JoinedDevice | undefined {
  const device = db.prepare(`SELECT ${deviceColumns} FROM station_devices WHERE token_hash = ? AND revoked_at IS NULL`).get(hashToken(token)) as JoinedDevice | undefined;
  if (!device) return undefined;
  // At most one write a minute per device, so lookups stay reads.
  if (!device.lastSeenAt || Date.parse(device.lastSeenAt) < now - 60_000) {
    db.prepare('UPDATE station_devices SET last_seen_at = ? WHERE device_id = ?').run(iso(now), device.deviceId);
  }
  return device;
}

export function listDevices(db: Db): JoinedDevice[] {
  return db.prepare(`SELECT ${deviceColumns} FROM station_devices ORDER BY revoked_at IS NOT NULL, paired_at`).all() as JoinedDevice[];
}

function existingDevice(db: Db, deviceId: string): JoinedDevice {
  const device = db.prepare(`SELECT ${deviceColumns} FROM station_devices WHERE device_id = ?`).get(deviceId) as JoinedDevice | undefined;
  if (!device) throw new RaceDeskError('not_found', 'No device with this id joined this station; the list of devices may be out of date, reload it.');
  return device;
}

/** The device's token stops working at once; it has to join again with a new code. */
export function revokeDevice(core: Core, deviceId: string): JoinedDevice {
  existingDevice(core.db, deviceId);
  core.db.prepare('UPDATE station_devices SET revoked_at = coalesce(revoked_at, ?) WHERE device_id = ?').run(iso(Date.now()), deviceId);
  core.events.emit('data.changed', { area: 'devices' });
  return existingDevice(core.db, deviceId);
}

export function renameDevice(core: Core, deviceId: string, name: string): JoinedDevice {
  existingDevice(core.db, deviceId);
  core.db.prepare('UPDATE station_devices SET name = ? WHERE device_id = ?').run(name, deviceId);
  core.events.emit('data.changed', { area: 'devices' });
  return existingDevice(core.db, deviceId);
}

export function setDeviceRole(core: Core, deviceId: string, role: DeviceRole): JoinedDevice {
  const device = existingDevice(core.db, deviceId);
  if (device.revokedAt) throw new RaceDeskError('conflict', `“${device.name}” was removed from the station; it has to join again before it can get another role.`);
  core.db.prepare('UPDATE station_devices SET role = ? WHERE device_id = ?').run(role, deviceId);
  core.events.emit('data.changed', { area: 'devices' });
  return existingDevice(core.db, deviceId);
}
