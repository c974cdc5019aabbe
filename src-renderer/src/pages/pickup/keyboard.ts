/*
 * What a key press means at the pickup table. Volunteers type fast and mostly never touch the
 * mouse, so the whole flow is: type a name or bib, ↑/↓, Enter to pick, Enter to check in, and
 * start typing the next name. Kept as a pure function so the rules are tested without a DOM.
 *
 * Two places have focus:
 * - the search box: keys type into the query, except ↑/↓/PageUp/PageDown (move through the
 *   results), Enter (pick the highlighted runner, or check in the picked runner when the query
 *   has not changed since picking) and Esc (clear). When a bib is held by several runners in
 *   the table's events, Enter picks only after the volunteer moved to one: Enter, Enter never
 *   checks in the first of them unseen;
 * - the picked runner's card: Enter checks in, B changes the bib, N opens a walk-up form,
 *   Ctrl+Z undoes this runner's check-in, Esc or / returns to the search; any other character
 *   starts a new search with that character, so the next runner's name can simply be typed.
 * Anywhere else on the page (not in a text field), N opens a walk-up form and B changes the
 * picked runner's bib.
 * Ctrl+Z only ever undoes the open card's runner's check-in. In the search box it does so only
 * while the box still shows the query that found them; once the volunteer types, Ctrl+Z is the
 * text field's own undo again. "?" is left to the app: it opens the shortcut list.
 */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface PickupKeyContext {
  focus: 'search' | 'card' | 'elsewhere';
  resultCount: number;
  activeIndex: number;
  /** A runner is picked and the search box still shows the query that found them. */
  pickedFromCurrentQuery: boolean;
  hasPicked: boolean;
  /** The open card's runner is checked in, and the query has not changed since they were picked. */
  canUndo: boolean;
  /** The query is a bib several listed runners hold, and the volunteer has not moved to one yet. */
  mustChoose?: boolean;
}

export type PickupAction =
  | { type: 'move'; index: number }
  | { type: 'pick'; index: number }
  | { type: 'checkIn' }
  | { type: 'undo' }
  | { type: 'changeBib' }
  | { type: 'walkUp' }
  | { type: 'clear' }
  | { type: 'focusSearch' }
  | { type: 'startSearch'; text: string }
  | { type: 'mustChoose' };

const pageStep = 5;

/** The next highlighted index for a movement key, clamped to the list; null for other keys. */
export function moveIndex(key: string, activeIndex: number, count: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const current = Math.min(Math.max(activeIndex, 0), last);
  switch (key) {
    case 'ArrowDown':
      return Math.min(current + 1, last);
    case 'ArrowUp':
      return Math.max(current - 1, 0);
    case 'PageDown':
      return Math.min(current + pageStep, last);
    case 'PageUp':
      return Math.max(current - pageStep, 0);
    default:
      return null;
  }
}

export function pickupKeyAction(press: KeyPress, context: PickupKeyContext): PickupAction | null {
  const command = press.ctrlKey || press.metaKey;
  if (command && !press.altKey && press.key.toLowerCase() === 'z') {
    if (context.focus === 'card' && context.hasPicked) return { type: 'undo' };
    return context.canUndo ? { type: 'undo' } : null;
  }
  if (command || press.altKey) return null;

  if (context.focus === 'search') {
    const index = moveIndex(press.key, context.activeIndex, context.resultCount);
    if (index !== null) return { type: 'move', index };
    if (press.key === 'Enter') {
      if (context.pickedFromCurrentQuery) return { type: 'checkIn' };
      if (context.mustChoose) return { type: 'mustChoose' };
      if (context.resultCount > 0) return { type: 'pick', index: Math.min(Math.max(context.activeIndex, 0), context.resultCount - 1) };
      return null;
    }
    if (press.key === 'Escape') return { type: 'clear' };
    return null;
  }

  if (context.focus === 'card' && context.hasPicked) {
    if (press.key === 'Enter') return { type: 'checkIn' };
    if (press.key === 'Escape' || press.key === '/') return { type: 'focusSearch' };
    if (press.key === 'b' || press.key === 'B') return { type: 'changeBib' };
    if (press.key === 'n' || press.key === 'N') return { type: 'walkUp' };
    if (press.key.length === 1 && press.key !== '?' && press.key !== ' ') return { type: 'startSearch', text: press.key };
    return null;
  }

  if (context.focus === 'elsewhere') {
    if (press.key === 'n' || press.key === 'N') return { type: 'walkUp' };
    if (context.hasPicked && (press.key === 'b' || press.key === 'B')) return { type: 'changeBib' };
  }
  return null;
}
