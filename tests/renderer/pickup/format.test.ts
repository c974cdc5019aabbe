import { describe, expect, it } from 'vitest';
import { ageGender, eventTitle, splitEventName, truthy } from '../../../src-renderer/src/pages/pickup/format.ts';

describe('how the pickup screen words things', () => {
  it('names events in the provider hierarchy without repeating the race', () => {
    expect(eventTitle({ event_id: '1', event_name: 'City Run › 5K', race_name: 'City Run' })).toBe('City Run › 5K');
    expect(eventTitle({ event_id: '1', event_name: '5K', race_name: ' City Run' })).toBe('City Run › 5K');
    expect(eventTitle({ event_id: 'E9', event_name: null })).toBe('E9');
    expect(splitEventName('Maple Hollow 5K & 10K › 5K')).toEqual({ event: '5K', parent: 'Maple Hollow 5K & 10K' });
    expect(splitEventName('Harbour Half')).toEqual({ event: 'Harbour Half', parent: null });
  });

  it('reads SQLite 0/1 and booleans alike, and words age and gender', () => {
    expect([truthy(1), truthy(true), truthy(0), truthy(null)]).toEqual([true, true, false, false]);
    expect(ageGender(35, 'F')).toBe('35 · Female');
    expect(ageGender(null, null)).toBe('—');
  });
});
