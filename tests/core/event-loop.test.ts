import { describe, expect, it, vi } from 'vitest';
import { forEachInSteps, mapInSteps, recordsPerStep } from '../../src-main/core/event-loop.ts';
import { callsPerTurn, inSteps } from '../helpers/event-loop-turns.ts';

const records = Array.from({ length: 3 * recordsPerStep + 7 }, (_, i) => i);

describe('records read in steps', () => {
  it('visits every record in order, one step per turn of the event loop', async () => {
    const visit = vi.fn();
    const { perTurn } = await callsPerTurn(visit, () => forEachInSteps(records, visit));
    expect(visit.mock.calls.map(([record, index]) => [record, index])).toEqual(records.map((r) => [r, r]));
    expect(perTurn).toEqual(inSteps(records.length, recordsPerStep));
  });

  it('stops where a visit returns false, visiting nothing after it', async () => {
    const visit = vi.fn((record: number) => record !== recordsPerStep + 3);
    await forEachInSteps(records, visit);
    expect(visit).toHaveBeenCalledTimes(recordsPerStep + 4);
  });

  it('maps in steps, leaving out the records mapped to null', async () => {
    const map = vi.fn((record: number) => (record % 2 === 0 ? `#${record}` : null));
    const { result, perTurn } = await callsPerTurn(map, () => mapInSteps(records, map));
    expect(result).toEqual(records.filter((r) => r % 2 === 0).map((r) => `#${r}`));
    expect(perTurn).toEqual(inSteps(records.length, recordsPerStep));
  });
});

describe('steps of tasks running side by side', () => {
  it('run one per turn of the event loop, whichever task they belong to', async () => {
    const visit = vi.fn();
    const tasks = () => Promise.all([forEachInSteps(records, visit), forEachInSteps(records, visit), mapInSteps(records, visit)]);
    const { perTurn } = await callsPerTurn(visit, tasks);
    expect(visit).toHaveBeenCalledTimes(3 * records.length);
    expect(Math.max(...perTurn)).toBe(recordsPerStep);
  });
});
