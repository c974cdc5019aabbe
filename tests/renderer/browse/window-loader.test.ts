import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WindowLoader, type WindowAnswer } from '../../../src-renderer/src/pages/browse/window-loader.ts';

/*
 * The loader against a core that answers when the test says so: each request waits until
 * answer() or fail() is called for it, like a station still reading its database. Time is the
 * test's too (fake timers): a drag "holds still" exactly when the test advances the clock.
 */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
/** Lets the answered promise's callbacks run, moving the clock by `ms`. */
const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);
function harness(options: { jumpSettleMs?: number } = {}) {
  const requests: Array<{ params: string; offset: number; limit: number; settle(answer: WindowAnswer<string>): void }> = [];
  const totals: Array<number | null> = [];
  const errors: Array<Error | null> = [];
  const loader = new WindowLoader<string>({
    pageSize: 100,
    lookahead: 50,
    jumpSettleMs: options.jumpSettleMs ?? 20,
    fetchWindow: (params, offset, limit) => new Promise((resolve) => requests.push({ params, offset, limit, settle: resolve })),
    onTotal: (total) => totals.push(total),
    onError: (error) => errors.push(error),
  });
  const open = () => requests.filter((r) => !('done' in r));
  const answer = async (offset: number, total = 1000) => {
    const request = requests.find((r) => r.offset === offset && !('done' in r));
    if (!request) throw new Error(`no open request for offset ${offset}`);
    Object.assign(request, { done: true });
    request.settle({ ok: true, rows: Array.from({ length: request.limit }, (_, i) => `${request.params} row ${offset + i}`), total });
    await elapse(0);
  };
  const fail = async (offset: number) => {
    const request = requests.find((r) => r.offset === offset && !('done' in r))!;
    Object.assign(request, { done: true });
    request.settle({ ok: false, error: new Error('The station cannot be reached.') });
    await elapse(0);
  };
  return { loader, requests, open, answer, fail, totals, errors };
}

describe('which windows the table asks for', () => {
  it('starts with the first window and shows rows and the total when it arrives', async () => {
    const { loader, requests, answer, totals } = harness();
    let redraws = 0;
    loader.subscribe(() => redraws++);
    loader.setParams('{"sort":"name"}');
    expect(requests.map((r) => [r.params, r.offset, r.limit])).toEqual([['{"sort":"name"}', 0, 100]]);
    await answer(0);
    expect(loader.row(42)).toBe('{"sort":"name"} row 42');
    expect(totals).toEqual([null, 1000]);
    expect(redraws).toBe(1);
    expect(loader.version()).toBe(1);
  });

  it('never has more than two windows on their way, and asks for the view before looking ahead', async () => {
    const { loader, open, answer } = harness();
    loader.setParams('{}');
    await answer(0);
    loader.ensure(0, 30);
    expect(open()).toEqual([]); // rows 0-30 are in, and 50 rows ahead of them too
    loader.ensure(0, 60);
    expect(open().map((r) => r.offset)).toEqual([100]); // looking ahead 50 rows reaches the next window
    loader.ensure(20, 450); // a tall view crossing five windows
    expect(open().map((r) => r.offset)).toEqual([100, 200]);
    await answer(100);
    expect(open().map((r) => r.offset)).toEqual([200, 300]);
  });

  it('waits for a scrollbar drag to hold still, then asks only for where it stopped', async () => {
    const { loader, open, answer } = harness({ jumpSettleMs: 20 });
    loader.setParams('{}');
    await answer(0);
    for (const start of [5_000, 10_000, 15_000, 20_000]) {
      loader.ensure(start, start + 30);
      await elapse(5);
    }
    // 5 ms after the last move, then 19: still moving as far as the loader knows.
    expect(open()).toEqual([]);
    await elapse(14);
    expect(open()).toEqual([]);
    await elapse(1);
    expect(open().map((r) => r.offset)).toEqual([20_000]);
  });

  it('fetches at once while the view moves by less than itself', async () => {
    const { loader, open, answer } = harness();
    loader.setParams('{}');
    await answer(0);
    loader.ensure(0, 60);
    await answer(100);
    loader.ensure(20, 50);
    loader.ensure(190, 220); // overlaps nothing before it: a jump, deferred
    expect(open().map((r) => r.offset)).toEqual([]);
    loader.ensure(200, 230);
    expect(open().map((r) => r.offset)).toEqual([200]);
  });

  it('drops answers for a sort or filter that is no longer on screen', async () => {
    const { loader, open, answer, totals } = harness();
    loader.setParams('{"sort":"name"}');
    loader.setParams('{"sort":"bib"}');
    expect(open().map((r) => r.params)).toEqual(['{"sort":"name"}', '{"sort":"bib"}']);
    await answer(0, 5); // the name-sorted answer, still on its way when the sort changed
    expect(loader.row(0)).toBeUndefined();
    expect(totals).toEqual([null, null]);
    await answer(0, 1000);
    expect(loader.row(0)).toBe('{"sort":"bib"} row 0');
  });

  it('after a data change refreshes the rows in view, keeping the old ones on screen meanwhile', async () => {
    const { loader, open, answer, totals } = harness();
    loader.setParams('{}');
    await answer(0);
    loader.ensure(0, 60);
    await answer(100);
    loader.ensure(40, 70);
    loader.reload();
    expect(open().map((r) => r.offset)).toEqual([0]);
    expect(loader.row(50)).toBe('{} row 50');
    const request = open()[0];
    Object.assign(request, { done: true });
    request.settle({ ok: true, rows: Array.from({ length: 100 }, (_, i) => `fresh ${i}`), total: 1001 });
    await elapse(0);
    expect(loader.row(50)).toBe('fresh 50');
    expect(totals.at(-1)).toBe(1001);
  });

  it('reports a failed window and asks again on the next scroll, not in a loop', async () => {
    const { loader, open, fail, answer, errors } = harness();
    loader.setParams('{}');
    await fail(0);
    expect(errors.at(-1)?.message).toBe('The station cannot be reached.');
    expect(open()).toEqual([]);
    loader.ensure(0, 30);
    expect(open().map((r) => r.offset)).toEqual([0]);
    await answer(0);
    expect(errors.at(-1)).toBeNull();
  });

  it('stops a pending drag fetch when disposed', async () => {
    const { loader, open, answer } = harness({ jumpSettleMs: 10 });
    loader.setParams('{}');
    await answer(0);
    loader.ensure(5_000, 5_030);
    loader.dispose();
    await elapse(10_000);
    expect(open()).toEqual([]);
  });
});
