import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { call, createTestCore, type TestCore } from '../helpers/core.ts';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { startStationServer, type RunningStation } from '../../src-main/station/server.ts';
import { allowedFailures, createPairingCode, pairingCodeLifetimeMs } from '../../src-main/core/station-access/devices.ts';
import { joinStation } from '../helpers/station.ts';
import { seedVenue } from '../core/pickup/seed.ts';

describe('station server', () => {
  let core: TestCore;
  let station: RunningStation;
  let staticDir: string;
  let admin: string;
  let venue: string;

  beforeEach(async () => {
    core = createTestCore();
    seedVenue(core.db);
    staticDir = mkdtempSync(join(tmpdir(), 'racedesk-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>RaceDesk</title>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    station = await startStationServer({ core, staticDir, heartbeatMs: 50 });
    admin = await joinStation(core, station.origin, 'Office', 'admin');
    venue = await joinStation(core, station.origin, 'Table 4', 'venue');
  });
  afterEach(async () => {
    await station.close();
    core.cleanup();
    rmSync(staticDir, { recursive: true, force: true });
  });

  const api = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${station.origin}/api/call/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${venue}`, ...headers },
      body: JSON.stringify(body),
    });
  const pair = (code: string, deviceName = 'Table 9') =>
    fetch(`${station.origin}/api/pair`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code, deviceName }) });

  it('listens on localhost, prints an address with a one-time pairing code, and says other devices cannot join', () => {
    expect(station.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(station.url).toBe(`${station.origin}/?pair=${station.shortCode}`);
    expect(station.shortCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(station.notice).toMatch(/other devices cannot join/);
  });

  it('exchanges a pairing code once for a device token of its own, kept only as a hash', async () => {
    const joined = await pair(station.shortCode.toLowerCase().replace('-', ''));
    expect(joined.status).toBe(200);
    const { value } = (await joined.json()) as { value: { token: string; role: string; name: string } };
    expect(value).toMatchObject({ role: 'venue', name: 'Table 9' });
    expect((await api('pickup.counters', {}, { Authorization: `Bearer ${value.token}` })).status).toBe(200);
    const stored = JSON.stringify(core.db.prepare('SELECT * FROM station_devices').all());
    expect(stored).not.toContain(value.token);

    const again = await pair(station.shortCode, 'Table 10');
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/is not a pairing code of this station, or it expired or was already used/);
  });

  it('says plainly that a code is wrong, refuses an expired one, and makes a guessing address wait', async () => {
    const wrong = await pair('ABCD-EFGH');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('“ABCD-EFGH” is not a pairing code of this station') } });

    const expired = createPairingCode(core.db, 'venue', Date.now() - pairingCodeLifetimeMs - 1);
    expect((await pair(expired.code)).status).toBe(401);

    for (let attempt = 2; attempt < allowedFailures; attempt++) expect((await pair('ABCD-EFGH')).status).toBe(401);
    const waiting = await pair(createPairingCode(core.db, 'venue').code);
    expect(waiting.status).toBe(429);
    expect(await waiting.json()).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/Too many wrong pairing codes from this device\. Wait \d+ minutes?/) } });
    expect(core.db.prepare('SELECT count(*) AS n FROM station_pairing_failures').get()).toEqual({ n: allowedFailures });
  });

  it('accepts a device token only in the Authorization header, and no longer once revoked', async () => {
    const none = await fetch(`${station.origin}/api/call/pickup.counters`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await api('pickup.counters', {}, { Authorization: 'Bearer nope' })).status).toBe(401);
    const byQuery = await fetch(`${station.origin}/api/call/pickup.counters?token=${venue}`, { method: 'POST', body: '{}' });
    expect(byQuery.status).toBe(401);
    expect((await fetch(`${station.origin}/api/events?token=${venue}`)).status).toBe(401);

    const byHeader = await api('pickup.counters', {});
    expect(await byHeader.json()).toMatchObject({ ok: true, value: { total: { registered: 5 } } });
    const [device] = (await call(core, 'station.devices', {})).filter((d) => d.name === 'Table 4');
    await call(core, 'station.revokeDevice', { deviceId: device.deviceId });
    const revoked = await api('pickup.counters', {});
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { message: expect.stringMatching(/or the station removed it/) } });
  });

  it('refuses a foreign Host or Origin', async () => {
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${station.origin}/api/call/pickup.counters`, { method: 'POST', headers: { Authorization: `Bearer ${venue}`, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await status({ Host: `attacker.example:${station.port}` })).toBe(403);
    expect(await status({ Origin: 'http://attacker.example' })).toBe(403);
    expect(await status({ Origin: station.origin })).toBe(200);
    expect(await status({ Host: `localhost:${station.port}` })).toBe(200);
  });

  it('returns handler errors as ApiResult and bad JSON as 400', async () => {
    const unknown = await api('nope.nothing', {});
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const invalid = await api('pickup.checkIn', { provider: 'runsignup' });
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const broken = await fetch(`${station.origin}/api/call/pickup.counters`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${venue}` },
      body: '{not json',
    });
    expect(broken.status).toBe(400);
  });

  it('keeps hub administration to the laptop itself, even for an admin device', async () => {
    const response = await api('hub.addPartner', { url: 'postgres://admin@hub.example.com/hub', name: 'Intruder Timing' }, { Authorization: `Bearer ${admin}` });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/only be done on the station laptop itself/) } });
    const set = await api('hub.set', { url: 'postgres://someone@evil.example.com/hub', password: 'x' });
    expect(set.status).toBe(403);
    // Said in the crew's words, without the API's internal names.
    const refusal = ((await set.json()) as { error: { message: string } }).error.message;
    expect(refusal).not.toMatch(/\b[a-z]+\.[a-zA-Z]+\b/);
    expect(core.settings.read().hub).toBeNull();
  });

  it('signs what a device records with the name it joined under, whatever name it sends', async () => {
    const response = await api('pickup.checkIn', { provider: 'runsignup', participantId: '5001', stationName: 'Table 1' }, { 'X-RaceDesk-Station': 'Front desk' });
    expect(await response.json()).toMatchObject({ ok: true, value: { alreadyCheckedIn: false, by: 'Table 4' } });
    const renamed = await api('station.renameSelf', { name: 'Tablé 4' });
    expect(await renamed.json()).toMatchObject({ ok: true, value: { name: 'Tablé 4' } });
    const next = await api('pickup.checkIn', { provider: 'runsignup', participantId: '5002' });
    expect(await next.json()).toMatchObject({ ok: true, value: { by: 'Tablé 4' } });
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
  });

  it('streams core events to a device holding a stream ticket, with heartbeats, until it is revoked', async () => {
    const ticketAnswer = await fetch(`${station.origin}/api/stream-ticket`, { method: 'POST', headers: { Authorization: `Bearer ${venue}` } });
    const { value } = (await ticketAnswer.json()) as { value: { ticket: string } };
    expect((await fetch(`${station.origin}/api/events?ticket=not-a-ticket`)).status).toBe(401);
    const response = await fetch(`${station.origin}/api/events?ticket=${value.ticket}`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value: chunk, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(chunk, { stream: true });
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

    const [device] = (await call(core, 'station.devices', {})).filter((d) => d.name === 'Table 4');
    await call(core, 'station.revokeDevice', { deviceId: device.deviceId });
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    expect((await fetch(`${station.origin}/api/events?ticket=${value.ticket}`)).status).toBe(401);
  });

  it('ends the event stream of a device revoked by another process on the same database (racedesk station revoke)', async () => {
    const ticketAnswer = await fetch(`${station.origin}/api/stream-ticket`, { method: 'POST', headers: { Authorization: `Bearer ${venue}` } });
    const { value } = (await ticketAnswer.json()) as { value: { ticket: string } };
    const response = await fetch(`${station.origin}/api/events?ticket=${value.ticket}`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain(': connected');

    const terminal = createCore({ dataDir: core.dataDir, settings: createConfSettings(core.dataDir), credentials: core.credentials, stationName: 'CLI' });
    try {
      const [device] = (await call(terminal, 'station.devices', {})).filter((d) => d.name === 'Table 4');
      await call(terminal, 'station.revokeDevice', { deviceId: device.deviceId });
    } finally {
      terminal.close();
    }
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    expect((await api('pickup.counters', {})).status).toBe(401);
  });

  it('serves the renderer to anyone, falls back to index.html, and never leaves the folder', async () => {
    const page = await fetch(`${station.origin}/?pair=whatever`);
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

  it('reports its address and current pairing code through station.info, a new code once one is used', async () => {
    const info = await call(core, 'station.info', {});
    expect(info).toMatchObject({ url: station.url, shortCode: station.shortCode, running: true, reachable: false, role: 'venue' });
    expect(info.qrSvg).toMatch(/^<svg/);
    expect(await call(core, 'station.info', {})).toMatchObject({ shortCode: info.shortCode });
    expect((await pair(info.shortCode)).status).toBe(200);
    const next = await call(core, 'station.info', {});
    expect(next.shortCode).not.toBe(info.shortCode);
    expect(next.url).toBe(`${station.origin}/?pair=${next.shortCode}`);
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
