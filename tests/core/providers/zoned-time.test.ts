import { describe, expect, it } from 'vitest';
import { zonedToUtc } from '../../../src-main/core/providers/zoned-time.ts';

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

  it('refuses what it cannot read', () => {
    expect(zonedToUtc('2025-02-11', 'America/New_York')).toBeNull();
    expect(zonedToUtc('2025-02-11T07:45:00', 'Mars/Olympus')).toBeNull();
  });
});
