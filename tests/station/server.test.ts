import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { call, createTestCore, type TestCore } from '../helpers/core.ts';
import { startStationServer, type RunningStation } from '../../src-main/station/server.ts';
import { loadOrCreateStationToken } from '../../src-main/core/station-access/token.ts';
import { seedVenue } from '../core/pickup/seed.ts';

describe('station server', () => {
  let core: TestCore;
  let station: RunningStation;
  let staticDir: string;

  beforeEach(async () => {
    core = createTestCore();
    seedVenue(core.db);
    staticDir = mkdtempSync(join(tmpdir(), 'racedesk-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>RaceDesk</title>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    station = await startStationServer({ core, staticDir, heartbeatMs: 50 });
  });
  afterEach(async () => {
    await station.close();
    core.cleanup();
    rmSync(staticDir, { recursive: true, force: true });
  });

  const api = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${station.origin}/api/call/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${station.token.token}`, ...headers },
      body: JSON.stringify(body),
    });

  it('listens on localhost and prints a URL carrying the token', () => {
    expect(station.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(station.url).toBe(`${station.origin}/?token=${station.token.token}`);
  });

  it('refuses API requests without a valid token', async () => {
    const none = await fetch(`${station.origin}/api/call/pickup.counters`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await api('pickup.counters', {}, { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const events = await fetch(`${station.origin}/api/events`);
    expect(events.status).toBe(401);
  });

  it('dispatches calls with the token as header, query or short code', async () => {
    const byHeader = await api('pickup.counters', {});
    expect(byHeader.status).toBe(200);
    expect(await byHeader.json()).toMatchObject({ ok: true, value: { total: { registered: 5 } } });
    const byQuery = await fetch(`${station.origin}/api/call/pickup.counters?token=${station.token.token}`, { method: 'POST', body: '{}' });
    expect(await byQuery.json()).toMatchObject({ ok: true });
    const byCode = await api('pickup.counters', {}, { Authorization: `Bearer ${station.token.shortCode.toLowerCase()}` });
    expect(byCode.status).toBe(200);
  });

  it('returns handler errors as ApiResult and bad JSON as 400', async () => {
    const unknown = await api('nope.nothing', {});
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const invalid = await api('pickup.checkIn', { provider: 'runsignup' });
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const broken = await fetch(`${station.origin}/api/call/pickup.counters`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${station.token.token}` },
      body: '{not json',
    });
    expect(broken.status).toBe(400);
  });

  it('keeps hub administration to the laptop itself', async () => {
    const response = await api('hub.addPartner', { url: 'postgres://admin@hub.example.com/hub', name: 'Intruder Timing' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringMatching(/only be done on the station laptop/) } });
    const set = await api('hub.set', { url: 'postgres://someone@evil.example.com/hub', password: 'x' });
    expect(set.status).toBe(403);
    // Said in the crew's words, without the API's internal names.
    const refusal = ((await set.json()) as { error: { message: string } }).error.message;
    expect(refusal).toBe("Choosing this station's hub can only be done on the station laptop itself (in its RaceDesk window or with the racedesk command), not from another device.");
    expect(refusal).not.toMatch(/\b[a-z]+\.[a-zA-Z]+\b/);
    expect(core.settings.read().hub).toBeNull();
  });

  it('records the browser station name from X-RaceDesk-Station', async () => {
    const response = await api('pickup.checkIn', { provider: 'runsignup', participantId: '5001' }, { 'X-RaceDesk-Station': encodeURIComponent('Tablé 4') });
    expect(await response.json()).toMatchObject({ ok: true, value: { alreadyCheckedIn: false, by: 'Tablé 4' } });
  });

  it('checks a runner in once when two station processes on one database ask at the same moment', async () => {
    const stations = await Promise.all(['North', 'South'].map((name) => startStationProcess(core, name)));
    try {
      const body = { provider: 'runsignup', participantId: '5002' };
      const outcomes = await Promise.all(
        stations.map(({ origin, token }) =>
          fetch(`${origin}/api/call/pickup.checkIn`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          }).then(async (r) => ((await r.json()) as { value: { alreadyCheckedIn: boolean; by: string; at: string } }).value),
        ),
      );
      const first = outcomes.find((o) => !o.alreadyCheckedIn);
      const second = outcomes.find((o) => o.alreadyCheckedIn);
      expect(first).toBeDefined();
      expect(['North', 'South']).toContain(first?.by);
      expect(second).toMatchObject({ alreadyCheckedIn: true, by: first?.by, at: first?.at });
      expect(core.db.prepare(`SELECT count(*) AS n FROM participant_changes WHERE kind = 'check_in'`).get()).toEqual({ n: 1 });
    } finally {
      await Promise.all(stations.map((station) => station.stop()));
    }
  }, 60_000);

  it('streams core events to browsers over SSE, with heartbeats', async () => {
    const controller = new AbortController();
    const response = await fetch(`${station.origin}/api/events?token=${station.token.token}`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil(': connected');
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '5003' });
    await readUntil('event: pickup.changed');
    await readUntil('\n\n');
    const block = text.slice(text.indexOf('event: pickup.changed')).split('\n\n')[0];
    const data = JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice(6));
    expect(data).toMatchObject({ kind: 'check_in', participantId: '5003', counters: { checkedIn: 1 } });
    await readUntil(': heartbeat');
    controller.abort();
  });

  it('serves the renderer to anyone, falls back to index.html, and never leaves the folder', async () => {
    const page = await fetch(`${station.origin}/?token=whatever`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>RaceDesk</title>');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const asset = await fetch(`${station.origin}/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const route = await fetch(`${station.origin}/pickup`);
    expect(await route.text()).toContain('<title>RaceDesk</title>');
    const escape = await fetch(`${station.origin}/..%2F..%2Fetc%2Fpasswd`);
    expect(await escape.text()).not.toContain('root:');
  });

  it('keeps its token across restarts and reports it through station.info', async () => {
    expect(loadOrCreateStationToken(core.dataDir)).toEqual(station.token);
    const info = await call(core, 'station.info', {});
    expect(info).toMatchObject({ url: station.url, token: station.token.token, shortCode: station.token.shortCode, running: true });
    expect(info.shortCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(info.qrSvg).toMatch(/^<svg/);
  });
});

interface StationProcess {
  origin: string;
  token: string;
  stop(): Promise<void>;
}

/** A station in its own process over the test core's data folder: the same database file, another connection. */
function startStationProcess(core: TestCore, name: string): Promise<StationProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'station-process.ts'), core.dataDir, core.keychainService, name], {
    cwd: join(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`station ${name} exited (${code}) before listening`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const { origin, token } = JSON.parse(line) as { origin: string; token: string };
      resolve({
        origin,
        token,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
