import { describe, expect, it } from 'vitest';
import { ageGender, splitEventName, truthy } from '../../../src-renderer/src/pages/pickup/format.ts';

describe('how the pickup screen words things', () => {
  it('splits an event name into the event and the level above it', () => {
    expect(splitEventName('Maple Hollow 5K & 10K › 5K')).toEqual({ event: '5K', parent: 'Maple Hollow 5K & 10K' });
    expect(splitEventName('Harbour Half')).toEqual({ event: 'Harbour Half', parent: null });
  });

  it('reads SQLite 0/1 and booleans alike, and words age and gender', () => {
    expect([truthy(1), truthy(true), truthy(0), truthy(null)]).toEqual([true, true, false, false]);
    expect(ageGender(35, 'F')).toBe('35 · Female');
    expect(ageGender(null, null)).toBe('—');
  });
});
