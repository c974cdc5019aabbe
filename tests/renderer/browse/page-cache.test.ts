import { describe, expect, it } from 'vitest';
import { PageCache, pagesCovering } from '../../../src-renderer/src/pages/browse/page-cache.ts';

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => `row ${from + i}`);

describe('windows of a virtualized table', () => {
  it('lists the pages a visible range touches', () => {
    expect(pagesCovering(0, 99, 100)).toEqual([0]);
    expect(pagesCovering(95, 105, 100)).toEqual([0, 1]);
    expect(pagesCovering(99_950, 99_999, 200)).toEqual([499]);
    expect(pagesCovering(5, 4, 100)).toEqual([]);
  });

  it('fetches each page once, even while the first fetch is on its way', () => {
    const cache = new PageCache<string>(100);
    expect(cache.claim(0, 150).map((c) => c.offset)).toEqual([0, 100]);
    expect(cache.claim(0, 150)).toEqual([]);
    cache.fill(0, 0, rows(0, 100));
    expect(cache.row(42)).toBe('row 42');
    expect(cache.row(142)).toBeUndefined();
    expect(cache.claim(0, 150)).toEqual([]);
  });

  it('after a data change keeps showing old rows until fresh ones arrive', () => {
    const cache = new PageCache<string>(100);
    const [first] = cache.claim(0, 10);
    cache.fill(first.page, first.generation, rows(0, 100));
    cache.invalidate();
    expect(cache.row(3)).toBe('row 3');
    const [again] = cache.claim(0, 10);
    expect(again.page).toBe(0);
    cache.fill(again.page, again.generation, rows(1000, 100));
    expect(cache.row(3)).toBe('row 1003');
  });

  it('drops answers for a sort or filter that is no longer on screen', () => {
    const cache = new PageCache<string>(100);
    const [old] = cache.claim(0, 10);
    cache.clear();
    expect(cache.fill(old.page, old.generation, rows(0, 100))).toBe(false);
    expect(cache.row(0)).toBeUndefined();
  });

  it('claims at most as many pages as there are free requests, nearest the start first', () => {
    const cache = new PageCache<string>(100);
    expect(cache.claim(0, 450, 2).map((c) => c.page)).toEqual([0, 1]);
    expect(cache.claim(0, 450, 2).map((c) => c.page)).toEqual([2, 3]);
    expect(cache.claim(0, 450, 0)).toEqual([]);
    expect(cache.claim(0, 450).map((c) => c.page)).toEqual([4]);
  });

  it('forgets the pages farthest from the view beyond a limit, never one on its way', () => {
    const cache = new PageCache<string>(100);
    for (const claim of cache.claim(0, 599)) cache.fill(claim.page, claim.generation, rows(claim.offset, 100));
    cache.claim(600, 699);
    cache.keepNear(250, 260, 3);
    expect([0, 1, 2, 3, 4, 5].map((page) => cache.row(page * 100) !== undefined)).toEqual([false, true, true, true, false, false]);
    expect(cache.claim(600, 699)).toEqual([]);
    expect(cache.claim(0, 0).map((c) => c.page)).toEqual([0]);
  });

  it('lets a failed page be fetched again', () => {
    const cache = new PageCache<string>(100);
    cache.claim(0, 10);
    expect(cache.claim(0, 10)).toEqual([]);
    cache.release(0);
    expect(cache.claim(0, 10)).toHaveLength(1);
  });
});
