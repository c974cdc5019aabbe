/*
 * Keyboard shortcuts, listed once: the help overlay (?) shows this list, and the handlers use the
 * same matchers, so what the screen promises is what the keys do.
 */
export interface Shortcut {
  keys: string[];
  description: string;
  scope: 'everywhere' | 'pickup';
}

export const shortcuts: Shortcut[] = [
  { keys: ['/'], description: 'Focus the search box', scope: 'everywhere' },
  { keys: ['?'], description: 'Show this list of shortcuts', scope: 'everywhere' },
  { keys: ['Alt', '1…6'], description: 'Go to Pickup, Walk-up, Browse, Results, Sync, Settings', scope: 'everywhere' },
  { keys: ['↑', '↓'], description: 'Move through the search results', scope: 'pickup' },
  { keys: ['Enter'], description: 'Pick the highlighted runner; on a picked runner: check in (a runner without a bib is asked for one)', scope: 'pickup' },
  { keys: ['Ctrl', 'Z'], description: "Undo the open runner's check-in (asks first when another station made it)", scope: 'pickup' },
  { keys: ['B'], description: 'Change the bib of the picked runner', scope: 'pickup' },
  { keys: ['N'], description: 'New walk-up registration', scope: 'pickup' },
  { keys: ['Esc'], description: 'Clear the search and start over', scope: 'pickup' },
];

/** True when a key press belongs to a text field (so single-letter shortcuts must not fire). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || element.isContentEditable) return true;
  if (tag !== 'input') return false;
  const type = ((element as HTMLInputElement).type || 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
}

/** Search boxes hold names, bibs and emails, never a "?": there it opens the shortcut list too. */
export function opensShortcutList(press: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }, target: EventTarget | null): boolean {
  if (press.key !== '?' || press.ctrlKey || press.metaKey || press.altKey) return false;
  if (!isTypingTarget(target)) return true;
  return (target as HTMLElement).hasAttribute?.('data-search-box') === true;
}
