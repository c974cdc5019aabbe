import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { handlerAccess } from '../../../src-main/core/api/access.ts';
import { requestAllowances } from '../../../src-main/core/providers/request-allowance.ts';

let core: TestCore;

beforeEach(() => {
  core = createTestCore();
});
afterEach(() => core.cleanup());

describe('provider handlers', () => {
  it('lists every provider with its requests per hour', async () => {
    const providers = await call(core, 'providers.list', {});
    expect(providers.map((p) => p.name).sort()).toEqual(['chronotrack', 'copernico', 'haku', 'raceroster', 'runsignup']);
    expect(providers.every((p) => p.requestsPerHour === 3600)).toBe(true);
  });

  it('sets a provider\'s allowance, and the list shows it', async () => {
    expect(await call(core, 'providers.setRequestsPerHour', { provider: 'raceroster', requestsPerHour: 18_000 })).toEqual({ provider: 'raceroster', requestsPerHour: 18_000 });
    const providers = await call(core, 'providers.list', {});
    expect(providers.find((p) => p.name === 'raceroster')?.requestsPerHour).toBe(18_000);
    expect(providers.find((p) => p.name === 'haku')?.requestsPerHour).toBe(3600);
  });

  it.each([0, -1, 1.5, 100_000_001, '7200'])('refuses %j requests an hour and changes nothing', async (requestsPerHour) => {
    const result = await dispatch(core, 'providers.setRequestsPerHour', { provider: 'runsignup', requestsPerHour });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/requestsPerHour: must be a whole number from 1 to 100,000,000/) } });
    expect(requestAllowances(core.db).runsignup).toBe(3600);
  });

  it('refuses an unknown provider', async () => {
    const result = await dispatch(core, 'providers.setRequestsPerHour', { provider: 'strava', requestsPerHour: 7200 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/provider/) } });
  });

  it('may be changed over the station only by an admin device, like the accounts it serves', () => {
    expect(handlerAccess['providers.setRequestsPerHour']).toBe('admin');
  });
});
