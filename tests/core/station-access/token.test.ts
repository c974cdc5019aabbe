import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateStationToken, stationTokenPath } from '../../../src-main/core/station-access/token.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
describe('station token file', () => {
  it('names the file and the key when it fails its schema, and never replaces it silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'racedesk-token-'));
    dirs.push(dir);
    const first = loadOrCreateStationToken(dir);
    const path = stationTokenPath(dir);
    writeFileSync(path, JSON.stringify({ ...first, shortCode: 'abcd' }));
    expect(() => loadOrCreateStationToken(dir)).toThrow(
      `${path}: shortCode: Invalid string: must match pattern /^[A-Z2-9]{4}-[A-Z2-9]{4}$/. Delete the file to make a new token; every device that joined this station must then join again with the new QR code or short code.`,
    );
    writeFileSync(path, '{"token": ');
    expect(() => loadOrCreateStationToken(dir)).toThrow(`${path} is not valid JSON. Delete the file to make a new token;`);
    expect(readFileSync(path, 'utf8')).toBe('{"token": ');
  });
});
