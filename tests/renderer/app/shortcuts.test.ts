import { describe, expect, it } from 'vitest';
import { opensShortcutList } from '../../../src-renderer/src/app/shortcuts.ts';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });
/** Just enough of an element for the rule: its tag, type and attributes. */
const element = (tagName: string, attributes: Record<string, string> = {}, type?: string) => ({
  tagName,
  type,
  isContentEditable: false,
  hasAttribute: (name: string) => name in attributes,
});

describe('"?" opens the shortcut list', () => {
  it('anywhere but a text field, and in a search box, which never holds a "?"', () => {
    expect(opensShortcutList(press('?'), element('BODY') as unknown as EventTarget)).toBe(true);
    expect(opensShortcutList(press('?'), element('INPUT', { 'data-search-box': '' }, 'text') as unknown as EventTarget)).toBe(true);
  });

  it('types into other text fields, and leaves modified keys and other keys alone', () => {
    expect(opensShortcutList(press('?'), element('INPUT', {}, 'text') as unknown as EventTarget)).toBe(false);
    expect(opensShortcutList(press('?'), element('TEXTAREA') as unknown as EventTarget)).toBe(false);
    expect(opensShortcutList(press('?', { ctrlKey: true }), element('BODY') as unknown as EventTarget)).toBe(false);
    expect(opensShortcutList(press('/'), element('BODY') as unknown as EventTarget)).toBe(false);
  });
});
