import { describe, expect, it } from 'vitest';
import { moveIndex, pickupKeyAction, type PickupKeyContext } from '../../../src-renderer/src/pages/pickup/keyboard.ts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
const searching: PickupKeyContext = { focus: 'search', resultCount: 4, activeIndex: 0, pickedFromCurrentQuery: false, hasPicked: false, canUndo: false };
const onCard: PickupKeyContext = { focus: 'card', resultCount: 4, activeIndex: 1, pickedFromCurrentQuery: true, hasPicked: true, canUndo: false };

describe('moving through the result list', () => {
  it('moves down and up one row and stops at both ends', () => {
    expect(moveIndex('ArrowDown', 0, 3)).toBe(1);
    expect(moveIndex('ArrowDown', 2, 3)).toBe(2);
    expect(moveIndex('ArrowUp', 1, 3)).toBe(0);
    expect(moveIndex('ArrowUp', 0, 3)).toBe(0);
  });

  it('jumps five rows with PageDown/PageUp, clamped to the list', () => {
    expect(moveIndex('PageDown', 0, 12)).toBe(5);
    expect(moveIndex('PageDown', 9, 12)).toBe(11);
    expect(moveIndex('PageUp', 3, 12)).toBe(0);
  });

  it('ignores other keys and empty lists, and repairs an index past a shrunken list', () => {
    expect(moveIndex('a', 0, 3)).toBeNull();
    expect(moveIndex('ArrowDown', 0, 0)).toBeNull();
    expect(moveIndex('ArrowUp', 9, 3)).toBe(1);
  });
});

describe('keys in the search box', () => {
  it('arrows move the highlight, Enter picks the highlighted runner', () => {
    expect(pickupKeyAction(key('ArrowDown'), searching)).toEqual({ type: 'move', index: 1 });
    expect(pickupKeyAction(key('Enter'), { ...searching, activeIndex: 2 })).toEqual({ type: 'pick', index: 2 });
  });

  it('Enter with no results does nothing; Escape clears', () => {
    expect(pickupKeyAction(key('Enter'), { ...searching, resultCount: 0 })).toBeNull();
    expect(pickupKeyAction(key('Escape'), searching)).toEqual({ type: 'clear' });
  });

  it('Enter checks in once a runner is picked from the query still shown', () => {
    expect(pickupKeyAction(key('Enter'), { ...searching, hasPicked: true, pickedFromCurrentQuery: true })).toEqual({ type: 'checkIn' });
  });

  it('a bib several runners hold: Enter asks to choose until the volunteer moved to one', () => {
    const ambiguous = { ...searching, mustChoose: true };
    expect(pickupKeyAction(key('Enter'), ambiguous)).toEqual({ type: 'mustChoose' });
    expect(pickupKeyAction(key('ArrowDown'), ambiguous)).toEqual({ type: 'move', index: 1 });
    expect(pickupKeyAction(key('Enter'), { ...ambiguous, mustChoose: false, activeIndex: 1 })).toEqual({ type: 'pick', index: 1 });
  });

  it('letters, including B and N, type into the query', () => {
    for (const k of ['b', 'B', 'n', 'N', 'z', '/']) expect(pickupKeyAction(key(k), searching)).toBeNull();
  });

  it('Ctrl+Z undoes the check-in only while the query is the one it was made with', () => {
    expect(pickupKeyAction(key('z', { ctrlKey: true }), { ...searching, canUndo: true })).toEqual({ type: 'undo' });
    expect(pickupKeyAction(key('z', { ctrlKey: true }), { ...searching, canUndo: false })).toBeNull();
    expect(pickupKeyAction(key('Z', { metaKey: true }), { ...searching, canUndo: true })).toEqual({ type: 'undo' });
  });
});

describe('keys on the participant card', () => {
  it('Enter checks in, B changes the bib, N opens a walk-up, Ctrl+Z undoes', () => {
    expect(pickupKeyAction(key('Enter'), onCard)).toEqual({ type: 'checkIn' });
    expect(pickupKeyAction(key('b'), onCard)).toEqual({ type: 'changeBib' });
    expect(pickupKeyAction(key('B'), onCard)).toEqual({ type: 'changeBib' });
    expect(pickupKeyAction(key('n'), onCard)).toEqual({ type: 'walkUp' });
    expect(pickupKeyAction(key('z', { ctrlKey: true }), onCard)).toEqual({ type: 'undo' });
  });

  it('Escape and / return to the search; other characters start the next search', () => {
    expect(pickupKeyAction(key('Escape'), onCard)).toEqual({ type: 'focusSearch' });
    expect(pickupKeyAction(key('/'), onCard)).toEqual({ type: 'focusSearch' });
    expect(pickupKeyAction(key('m'), onCard)).toEqual({ type: 'startSearch', text: 'm' });
    expect(pickupKeyAction(key('4'), onCard)).toEqual({ type: 'startSearch', text: '4' });
  });

  it('leaves browser and app shortcuts alone', () => {
    expect(pickupKeyAction(key('b', { ctrlKey: true }), onCard)).toBeNull();
    expect(pickupKeyAction(key('1', { altKey: true }), onCard)).toBeNull();
    expect(pickupKeyAction(key('?'), onCard)).toBeNull();
    expect(pickupKeyAction(key('Tab'), onCard)).toBeNull();
  });
});

describe('keys elsewhere on the pickup page', () => {
  const elsewhere: PickupKeyContext = { focus: 'elsewhere', resultCount: 0, activeIndex: 0, pickedFromCurrentQuery: false, hasPicked: false, canUndo: false };

  it('N opens a walk-up form; B needs a picked runner', () => {
    expect(pickupKeyAction(key('n'), elsewhere)).toEqual({ type: 'walkUp' });
    expect(pickupKeyAction(key('b'), elsewhere)).toBeNull();
    expect(pickupKeyAction(key('b'), { ...elsewhere, hasPicked: true })).toEqual({ type: 'changeBib' });
    expect(pickupKeyAction(key('Enter'), { ...elsewhere, hasPicked: true })).toBeNull();
  });
});
