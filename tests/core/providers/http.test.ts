import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src-main/core/providers/http.ts';
import { RateBudget } from '../../../src-main/core/providers/rate-budget.ts';
import { startSimulator, type RunningSimulator } from '../../../src-main/simulators/kit.ts';
import { type RaceDeskError } from '../../../src-main/core/errors.ts';

let sim: RunningSimulator;
let slowMs = 0;

beforeEach(async () => {
  slowMs = 0;
  sim = await startSimulator({
    prefix: '/api',
    route: async (request) => {
      if (slowMs) await new Promise((resolve) => setTimeout(resolve, slowMs));
      // Gzip bytes without a Content-Encoding header, as Copernico's CDN sometimes sends them.
      if (request.path.endsWith('/gzipped')) return { body: gzipSync(JSON.stringify({ rows: ['Ferrándiz'] })) };
      return { body: { path: request.path, key: request.query.get('api_key') } };
    },
  });
});
afterEach(async () => {
  await sim.close();
});

const client = (retry = {}) =>
  new HttpClient({
    provider: 'Test Provider',
    baseUrl: sim.url,
    budget: new RateBudget(1_000_000),
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000, ...retry },
    secretParams: ['api_key'],
  });

async function failure(promise: Promise<unknown>): Promise<RaceDeskError> {
  try {
    await promise;
  } catch (error) {
    return error as RaceDeskError;
  }
  throw new Error('expected a failure');
}

describe('provider HTTP', () => {
  it('joins paths onto the base URL and parses JSON', async () => {
    const response = await client().request({ url: 'races', query: { api_key: 'k1', page: 2 } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ path: '/api/races', key: 'k1' });
  });

  it('reads a gzip body sent without Content-Encoding', async () => {
    const response = await client().request({ url: 'gzipped' });
    expect(response.body).toEqual({ rows: ['Ferrándiz'] });
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    sim.faults.rateLimitNext = 1;
    sim.faults.serverErrorNext = 1;
    const response = await client().request({ url: 'races' });
    expect(response.status).toBe(200);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it('gives up after its attempts with one clear message that never shows a secret', async () => {
    sim.faults.serverErrorNext = 10;
    const error = await failure(client().request({ url: 'races', query: { api_key: 'super-secret-key' } }));
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/^Test Provider GET .*\/api\/races\?api_key=\*\*\*: HTTP 503, after 3 attempts\.$/);
    expect(error.message).not.toContain('super-secret-key');
  });

  it('treats a server that does not answer in time as a network error', async () => {
    slowMs = 500;
    const error = await failure(client({ timeoutMs: 100, attempts: 2 }).request({ url: 'races' }));
    expect(error.code).toBe('network_error');
    expect(error.message).toMatch(/no answer within 0.1 s, after 2 attempts/);
  });

  it('reports a refused connection as a network error', async () => {
    await sim.close();
    const error = await failure(client({ attempts: 1 }).request({ url: 'races' }));
    expect(error.code).toBe('network_error');
    expect(error.message).toMatch(/connection failed/);
  });

  it('stops waiting when the sync is cancelled', async () => {
    slowMs = 1_000;
    const controller = new AbortController();
    const pending = client().request({ url: 'races', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('cancelled');
  });
});
