import { describe, expect, it } from 'vitest';
import { exponentialDelayMs, retryDelayMs } from '../../../src-main/core/sync/backoff.ts';

describe('backoff', () => {
  it('doubles from the base on each retry and stops at the cap', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => exponentialDelayMs(retry, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('jitters each retry inside the upper half of the same exponential wait', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000 };
    expect(retryDelayMs(3, policy, () => 0)).toBe(2_000);
    expect(retryDelayMs(3, policy, () => 1)).toBe(4_000);
    expect(retryDelayMs(9, policy, () => 1)).toBe(10_000);
  });
});
