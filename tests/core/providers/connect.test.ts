import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { type SharedRateBudget } from '../../../src-main/core/providers/shared-rate-budget.ts';

// Watch which bucket each new session is given, without changing what it gets.
const made: SharedRateBudget[] = [];
vi.mock('../../../src-main/core/providers/shared-rate-budget.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src-main/core/providers/shared-rate-budget.ts')>();
  class Watched extends actual.SharedRateBudget {
    constructor(...args: ConstructorParameters<typeof actual.SharedRateBudget>) {
      super(...args);
      made.push(this);
    }
  }
  return { ...actual, SharedRateBudget: Watched };
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

const lastBudget = () => made[made.length - 1];

describe('connect', () => {
  it('gives the next sync a budget of the newly set allowance, in the same process', async () => {
    expect((await call(core, 'sync.run', { provider: 'runsignup', account: 'main' })).status).toBe('success');
    expect(lastBudget()).toMatchObject({ provider: 'runsignup', perHour: 3600 });

    await call(core, 'providers.setRequestsPerHour', { provider: 'runsignup', requestsPerHour: 7200 });
    expect((await call(core, 'sync.run', { provider: 'runsignup', account: 'main' })).status).toBe('success');
    expect(lastBudget()).toMatchObject({ provider: 'runsignup', perHour: 7200 });
    // Both sessions drew from the one bucket of the data folder.
    expect(core.db.prepare('SELECT provider_name FROM request_buckets').all()).toEqual([{ provider_name: 'runsignup' }]);
  });
});
