import { describe, expect, it } from 'vitest';
import { utcInstant, zonedToUtc } from '../../../src-main/core/providers/zoned-time.ts';

// Runs under TZ=UTC, America/Los_Angeles and Asia/Tokyo too (time-zones.test.ts): the answers may not move.
describe('zonedToUtc', () => {
  it('reads a wall-clock time in the source zone, whatever the laptop zone', () => {
    expect(zonedToUtc('2025-02-11T07:45:00', 'America/New_York')).toBe('2025-02-11T12:45:00.000Z');
    expect(zonedToUtc('2025-06-14T08:00:00', 'America/New_York')).toBe('2025-06-14T12:00:00.000Z');
    expect(zonedToUtc('2026-11-15T09:00:00', 'Europe/Madrid')).toBe('2026-11-15T08:00:00.000Z');
    expect(zonedToUtc('2026-07-15T09:00', 'Europe/Madrid')).toBe('2026-07-15T07:00:00.000Z');
  });

  it('is right on both sides of a daylight-saving change', () => {
    expect(zonedToUtc('2025-03-09T01:30:00', 'America/New_York')).toBe('2025-03-09T06:30:00.000Z');
    expect(zonedToUtc('2025-03-09T03:30:00', 'America/New_York')).toBe('2025-03-09T07:30:00.000Z');
    expect(zonedToUtc('2025-11-02T00:30:00', 'America/New_York')).toBe('2025-11-02T04:30:00.000Z');
  });

  it('is right in an hour with a change that is not on the hour, whatever was read before', () => {
    // Lord Howe moves by 30 minutes at 02:00 local standard time (15:30 UTC); Monrovia left
    // -0:44:30 on 7 January 1972 at 00:44:30 UTC. Each case is read after a time of the same UTC hour.
    const cases: Array<[string, string, string]> = [
      ['Australia/Lord_Howe', '2025-10-05T01:45:00', '2025-10-04T15:15:00.000Z'],
      ['Australia/Lord_Howe', '2025-10-05T02:45:00', '2025-10-04T15:45:00.000Z'],
      ['Australia/Lord_Howe', '2025-10-05T01:45:00', '2025-10-04T15:15:00.000Z'],
      ['Africa/Monrovia', '1972-01-06T23:50:00', '1972-01-07T00:34:30.000Z'],
      ['Africa/Monrovia', '1972-01-07T00:50:00', '1972-01-07T00:50:00.000Z'],
      ['Africa/Monrovia', '1972-01-06T23:50:00', '1972-01-07T00:34:30.000Z'],
    ];
    for (const [zone, local, instant] of cases) expect(zonedToUtc(local, zone), `${local} ${zone}`).toBe(instant);
  });

  it('refuses what it cannot read', () => {
    expect(zonedToUtc('2025-02-11', 'America/New_York')).toBeNull();
    expect(zonedToUtc('2025-02-11T07:45:00', 'Mars/Olympus')).toBeNull();
  });
});

describe('utcInstant, the one reader of provider timestamps', () => {
  it('reads every offset spelling the providers send to the same instant', () => {
    expect(utcInstant('2026-11-15T09:00:00Z')).toBe('2026-11-15T09:00:00.000Z');
    expect(utcInstant('2026-11-15T09:00:00+01:00')).toBe('2026-11-15T08:00:00.000Z');
    expect(utcInstant('2026-11-15T03:00:00-0600')).toBe('2026-11-15T09:00:00.000Z');
    expect(utcInstant('2026-11-15T18:00+09')).toBe('2026-11-15T09:00:00.000Z');
    expect(utcInstant(' 2026-11-15 09:00:00.1234Z ')).toBe('2026-11-15T09:00:00.123Z');
    expect(utcInstant('2026-01-01T00:30:00+05:30')).toBe('2025-12-31T19:00:00.000Z');
  });

  it('reads text without an offset only as the caller says: UTC, or wall-clock time in a zone', () => {
    expect(utcInstant('2026-11-15T09:00:00')).toBeNull();
    expect(utcInstant('2026-11-15T09:00:00', 'utc')).toBe('2026-11-15T09:00:00.000Z');
    expect(utcInstant('2026-11-15 09:00', { zone: 'Europe/Madrid' })).toBe('2026-11-15T08:00:00.000Z');
  });

  it('refuses impossible dates and times, and what is not ISO-8601, instead of guessing', () => {
    for (const text of ['2026-02-30T09:00:00Z', '2026-13-01T09:00:00Z', '2026-11-15T24:30:00Z', '2026-11-15T09:60:00Z', '2026-11-15T09:00:00+25:00', 'Sun Nov 15 2026 09:00:00', '15/11/2026 09:00', '2026-11-15', '']) {
      expect(utcInstant(text), text).toBeNull();
    }
  });
});
