import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { invalidFileError, unreadableFileError } from '../settings/file-errors.ts';

/*
 * The station token: made once per data folder and kept in it (readable by this user only), so
 * the URL in a printed QR code stays valid across restarts. The short code is for typing on a
 * phone that cannot scan: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
 * Either one opens the API.
 */
const tokenFileSchema = z.object({ token: z.string().min(32), shortCode: z.string().regex(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/) });
export type StationToken = z.infer<typeof tokenFileSchema>;

const shortCodeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function stationTokenPath(dataDir: string): string {
  return join(dataDir, 'station-token.json');
}

export function loadOrCreateStationToken(dataDir: string): StationToken {
  const path = stationTokenPath(dataDir);
  if (existsSync(path)) return readStationToken(path);
  const bytes = randomBytes(8);
  const code = [...bytes].map((b) => shortCodeAlphabet[b % shortCodeAlphabet.length]).join('');
  const token: StationToken = { token: randomBytes(32).toString('base64url'), shortCode: `${code.slice(0, 4)}-${code.slice(4)}` };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
  return token;
}

const replaceToken = 'Delete the file to make a new token; every device that joined this station must then join again with the new QR code or short code.';

function readStationToken(path: string): StationToken {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw unreadableFileError(path, error, replaceToken);
  }
  const parsed = tokenFileSchema.safeParse(content);
  if (!parsed.success) throw invalidFileError(path, parsed.error, replaceToken);
  return parsed.data;
}

/** Constant-time check of a presented token or short code (case and dash optional for the code). */
export function tokenMatches(expected: StationToken, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const normalizedCode = presented.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return same(presented, expected.token) || (normalizedCode.length === 8 && same(normalizedCode, expected.shortCode.replace('-', '')));
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
