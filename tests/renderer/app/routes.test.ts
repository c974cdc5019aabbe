import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from '../../../src-renderer/src/app/routes.ts';
import { isTypingTarget } from '../../../src-renderer/src/app/shortcuts.ts';

describe('hash routes', () => {
  it('round-trips pages and tabs, and falls back to pickup', () => {
    expect(parseRoute('#/browse/events')).toEqual({ page: 'browse', sub: 'events' });
    expect(routeHash({ page: 'browse', sub: 'events' })).toBe('#/browse/events');
    expect(parseRoute('#/sync')).toEqual({ page: 'sync', sub: null });
    expect(parseRoute('')).toEqual({ page: 'pickup', sub: null });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'pickup', sub: null });
  });
});

describe('single-letter shortcuts and text fields', () => {
  it('treats text inputs and text areas as typing targets, checkboxes and buttons not', () => {
    const element = (tagName: string, type?: string) => ({ tagName, type, isContentEditable: false }) as unknown as EventTarget;
    expect(isTypingTarget(element('INPUT', 'text'))).toBe(true);
    expect(isTypingTarget(element('INPUT', 'search'))).toBe(true);
    expect(isTypingTarget(element('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(element('INPUT', 'checkbox'))).toBe(false);
    expect(isTypingTarget(element('BUTTON'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
