import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src-main/core/providers/http.ts';
import { RateBudget } from '../../../src-main/core/providers/rate-budget.ts';
import { OAuthToken, usableUntil } from '../../../src-main/core/providers/oauth-token.ts';
import { startSimulator, type RunningSimulator } from '../../../src-main/simulators/kit.ts';
import { RaceDeskError } from '../../../src-main/core/errors.ts';
import { raceDeskFailure } from '../../helpers/provider-session.ts';

/*
 * The shared token cache against a real HTTP server that accepts only the tokens it lists, and a
 * test clock, so expiry is a step of the clock rather than a wait.
 */
interface TestToken {
  value: string;
  usableUntil: number;
}

let server: RunningSimulator;
let accepted: Set<string>;
let clock: number;
let obtained: Array<TestToken | null>;
let issued: number;

/** Each token obtained is one the server accepts, unless `serverAccepts` is false. */
function tokenCache(serverAccepts = true): OAuthToken<TestToken> {
  const http = new HttpClient({ provider: 'Test', baseUrl: server.url, budget: new RateBudget(1_000_000), retry: { attempts: 1 } });
  return new OAuthToken<TestToken>({
    http,
    now: () => clock,
    obtain: async (expired) => {
      obtained.push(expired);
      const value = `token-${++issued}`;
      if (serverAccepts) accepted.add(value);
      return { value, usableUntil: usableUntil(clock, 600, 3_600_000) };
    },
    headers: (token) => ({ authorization: token.value }),
    refusedFreshToken: (response) => new RaceDeskError('auth_failed', `refused (HTTP ${response.status})`),
  });
}

beforeEach(async () => {
  accepted = new Set();
  clock = 1_000_000;
  obtained = [];
  issued = 0;
  server = await startSimulator({
    route: (request) => (accepted.has(String(request.headers.authorization)) ? { body: { ok: true } } : { status: 401, body: { message: 'Unauthorized' } }),
  });
});
afterEach(() => server.close());

describe('OAuthToken', () => {
  it('stops using a token a minute before it expires, or at half its life when that is sooner', () => {
    expect(usableUntil(0, 600, 1)).toBe(540_000);
    expect(usableUntil(0, 90, 1)).toBe(45_000);
    expect(usableUntil(0, undefined, 3_600_000)).toBe(3_540_000);
    expect(usableUntil(0, 'soon', 86_400_000)).toBe(86_340_000);
  });

  it('reuses the token until it is no longer usable, then obtains a new one knowing the expired one', async () => {
    const cache = tokenCache();
    await cache.get('/a', {});
    clock += 539_999;
    await cache.get('/a', {});
    expect(obtained).toEqual([null]);
    clock += 1;
    expect((await cache.get('/a', {})).status).toBe(200);
    expect(obtained).toEqual([null, { value: 'token-1', usableUntil: 1_540_000 }]);
  });

  it('answers a 401 with exactly one fresh token, forgetting the refused one', async () => {
    const cache = tokenCache();
    await cache.authenticate();
    accepted.clear();
    expect((await cache.get('/a', {})).status).toBe(200);
    expect(obtained).toEqual([null, null]);
    expect(server.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  it('gives up with the provider error when even the fresh token is refused', async () => {
    const error = await raceDeskFailure(tokenCache(false).get('/a', {}));
    expect([error.code, error.message]).toEqual(['auth_failed', 'refused (HTTP 401)']);
    expect(server.requests.map((r) => r.status)).toEqual([401, 401]);
    expect(obtained).toEqual([null, null]);
  });
});
