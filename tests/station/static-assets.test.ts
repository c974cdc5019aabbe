import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createTestCore, type TestCore } from '../helpers/core.ts';
import { buildRenderer } from '../helpers/browser.ts';
import { startStationServer, type RunningStation } from '../../src-main/station/server.ts';

/*
 * What a phone downloads: the real renderer build (minified, precompressed) served by the station,
 * read with plain HTTP requests so the encoding and caching headers are the ones on the wire.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let core: TestCore;
let station: RunningStation;
let script: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${station.origin}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  built = await buildRenderer();
  core = createTestCore();
  station = await startStationServer({ core, staticDir: built.dir });
  script = readdirSync(join(built.dir, 'assets')).find((name) => /^index-.+\.js$/.test(name))!;
});

afterAll(async () => {
  await station?.close();
  core?.cleanup();
  built?.remove();
});

describe('the station serves the built renderer', () => {
  it('sends the main script minified and brotli- or gzip-compressed, as the browser accepts', async () => {
    const original = readFileSync(join(built.dir, 'assets', script));
    // Minified: long lines (unminified code averages about 30 characters a line).
    expect(original.toString('utf8').split('\n').length).toBeLessThan(original.length / 1000);

    const br = await get(`/assets/${script}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(br.body.length).toBeLessThan(original.length / 3);
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);

    const gz = await get(`/assets/${script}`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(original)).toBe(true);

    const plain = await get(`/assets/${script}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('caches hashed assets for a year and answers a repeat with 304 by ETag', async () => {
    const first = await get(`/assets/${script}`, { 'Accept-Encoding': 'br' });
    expect(first.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(first.headers['cache-control']).toContain('immutable');
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await get(`/assets/${script}`, { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('has index.html revalidated on every load (it names the current hashes), also for app routes', async () => {
    for (const path of ['/', '/?token=abc', '/index.html', '/pickup']) {
      const page = await get(path, { 'Accept-Encoding': 'gzip, br' });
      expect(page.status, path).toBe(200);
      expect(page.headers['cache-control'], path).toBe('no-cache');
      expect(page.headers['referrer-policy'], path).toBe('no-referrer');
      expect(page.headers.etag, path).toBeTruthy();
      expect(brotliDecompressSync(page.body).toString('utf8'), path).toContain(script);
    }
    const missing = await get('/assets/nope-123.js');
    expect(missing.status).toBe(404);
  });
});
