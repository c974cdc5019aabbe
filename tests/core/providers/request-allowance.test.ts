import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { RaceDeskError } from '../../../src-main/core/errors.ts';
import { requestAllowances, requestsPerHour, setRequestsPerHour } from '../../../src-main/core/providers/request-allowance.ts';
import { providerNames } from '../../../src-main/core/providers/types.ts';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-allowance-'));
  db = openDatabase(join(dir, 'racedesk.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const providerRows = () => db.prepare('SELECT provider_name, rate_limit_per_hour FROM providers ORDER BY provider_name').all();

function refusal(work: () => unknown): RaceDeskError {
  try {
    work();
  } catch (error) {
    if (error instanceof RaceDeskError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('request allowance', () => {
  it('starts at the seed\'s 3600 an hour for every provider', () => {
    expect(requestAllowances(db)).toEqual(Object.fromEntries(providerNames.map((p) => [p, 3600])));
    expect(requestsPerHour(db, 'haku')).toBe(3600);
  });

  it('reads back a set allowance and leaves the other providers alone', () => {
    expect(setRequestsPerHour(db, 'chronotrack', 7200)).toEqual({ provider: 'chronotrack', requestsPerHour: 7200 });
    expect(requestsPerHour(db, 'chronotrack')).toBe(7200);
    expect(requestAllowances(db)).toMatchObject({ chronotrack: 7200, runsignup: 3600, haku: 3600 });
    setRequestsPerHour(db, 'chronotrack', 1);
    setRequestsPerHour(db, 'runsignup', 100_000_000);
    expect(requestAllowances(db)).toMatchObject({ chronotrack: 1, runsignup: 100_000_000 });
  });

  it.each([0, -1, 1.5, 100_000_001, Number.NaN])('refuses %s requests an hour and changes nothing', (perHour) => {
    setRequestsPerHour(db, 'runsignup', 7200);
    const before = providerRows();
    const error = refusal(() => setRequestsPerHour(db, 'runsignup', perHour));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/whole number from 1 to 100,000,000/);
    expect(providerRows()).toEqual(before);
  });

  it('refuses an unknown provider, naming it and the known ones, and changes nothing', () => {
    const before = providerRows();
    const error = refusal(() => setRequestsPerHour(db, 'strava', 7200));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Unknown provider "strava". Known providers: runsignup, chronotrack, raceroster, copernico, haku.');
    expect(providerRows()).toEqual(before);
    expect(() => requestsPerHour(db, 'strava')).toThrow(/Unknown provider "strava"/);
  });
});
