import { describe, expect, it } from 'vitest';
import { ageGender, readableNoteValue, splitEventName, truthy } from '../../../src-renderer/src/pages/pickup/format.ts';

describe('how the pickup screen words things', () => {
  it('turns JSON registration answers into "question: answer" lines', () => {
    const responses = JSON.stringify([
      { question_id: '410022', question_text: 'Emergency Contact Name', response: "Ngozi D'Angelo" },
      { question_id: '410023', question_text: 'Shirt', response: 'M' },
    ]);
    expect(readableNoteValue(responses)).toBe("Emergency Contact Name: Ngozi D'Angelo\nShirt: M");
    expect(readableNoteValue('{"division_name":"Masters","id":7}')).toBe('division name: Masters, id: 7');
  });

  it('leaves plain text and broken JSON as they are', () => {
    expect(readableNoteValue("Women's M")).toBe("Women's M");
    expect(readableNoteValue('[not json')).toBe('[not json');
  });

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
