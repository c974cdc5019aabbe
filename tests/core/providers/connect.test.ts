import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/core/providers/runsignup/simulator.ts';
import { makeRunSignUpDataset } from '../../../src-main/core/providers/runsignup/dataset.ts';
import { budgetFor, type RateBudget } from '../../../src-main/core/providers/rate-budget.ts';

// Watch which bucket each new session is given, without changing what it gets.
vi.mock('../../../src-main/core/providers/rate-budget.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src-main/core/providers/rate-budget.ts')>();
  return { ...actual, budgetFor: vi.fn(actual.budgetFor) };
});

const secret = { api_key: 'key-7f3a9c', api_secret: 'secret-Zq81xLw0' };
let core: TestCore;
let sim: RunSignUpSimulator;

beforeEach(async () => {
  core = createTestCore();
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ races: 1, eventsPerRace: 1, participantsPerEvent: 5 }), credentials: [secret] });
  await call(core, 'partner.set', { id: 4, name: 'Acme Timing' });
  await call(core, 'accounts.add', { provider: 'runsignup', label: 'main', baseUrl: sim.url, secret });
});
afterEach(async () => {
  core.cleanup();
  await sim.close();
});

function lastBudget(): RateBudget {
  const results = vi.mocked(budgetFor).mock.results;
  return results[results.length - 1].value as RateBudget;
}

describe('connect', () => {
  it('gives the next sync a budget of the newly set allowance, in the same process', async () => {
    expect((await call(core, 'sync.run', { provider: 'runsignup', account: 'main' })).status).toBe('success');
    expect(vi.mocked(budgetFor)).toHaveBeenLastCalledWith('runsignup', 3600);
    const before = lastBudget();

    await call(core, 'providers.setRequestsPerHour', { provider: 'runsignup', requestsPerHour: 7200 });
    expect((await call(core, 'sync.run', { provider: 'runsignup', account: 'main' })).status).toBe('success');
    expect(vi.mocked(budgetFor)).toHaveBeenLastCalledWith('runsignup', 7200);
    expect(lastBudget().perHour).toBe(7200);
    expect(lastBudget()).not.toBe(before);
    // The new bucket is now the provider's shared one.
    expect(budgetFor('runsignup', 7200)).toBe(lastBudget());
  });
});
