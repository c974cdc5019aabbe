import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiError, createClient, createStationTransport, isNotAvailable, readApiResult } from '../../../src-renderer/src/api/client.ts';

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('reading station answers', () => {
  it('passes API results through, success and failure alike', async () => {
    expect(await readApiResult(new Response(JSON.stringify({ ok: true, value: [1] }), { status: 200 }))).toEqual({ ok: true, value: [1] });
    const failure = { ok: false, error: { code: 'conflict', message: 'Ana Ruiz is not checked in.' } };
    expect(await readApiResult(new Response(JSON.stringify(failure), { status: 200 }))).toEqual(failure);
  });

  it('explains a refused token as a pairing problem', async () => {
    const answer = await readApiResult(new Response('Unauthorized', { status: 401 }));
    expect(answer).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    if (!answer.ok) expect(answer.error.message).toMatch(/QR code/);
  });

  it('turns anything else (a proxy page, a crash) into an internal error naming the HTTP status', async () => {
    const answer = await readApiResult(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('HTTP 502') } });
  });
});

describe('the client over the station transport', () => {
  it('reports an unreachable station as a network error, never as a thrown TypeError', async () => {
    const port = await closedPort();
    const client = createClient(createStationTransport({ baseUrl: `http://127.0.0.1:${port}`, token: () => 't', stationName: () => null }));
    const answer = await client.result('status.get', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'network_error' } });
    await expect(client.call('status.get', {})).rejects.toBeInstanceOf(ApiError);
  });

  it('tells a missing handler ("not available") from other not_found errors', () => {
    expect(isNotAvailable(new ApiError('not_found', 'Unknown API call "hub.status".'))).toBe(true);
    expect(isNotAvailable(new ApiError('not_found', 'No participant 42 in RunSignUp.'))).toBe(false);
    expect(isNotAvailable(new Error('Unknown API call "x".'))).toBe(false);
  });
});
