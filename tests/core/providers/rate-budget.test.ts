import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../../src-main/core/providers/rate-budget.ts';

describe('rate budget', () => {
  it('lets a burst of a minute\'s allowance through, then spaces requests to the hourly rate', () => {
    let now = 0;
    const budget = new RateBudget(3600, () => now); // one request a second, bursts of 60
    const waits = Array.from({ length: 60 }, () => budget.reserve());
    expect(waits.every((w) => w === 0)).toBe(true);
    expect(budget.reserve()).toBe(1000);
    expect(budget.reserve()).toBe(2000);
    now += 10_000; // ten seconds later ten more tokens have arrived, two of them already promised
    expect(budget.reserve()).toBe(0);
  });

});
