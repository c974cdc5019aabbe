import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';

/*
 * The station serving the venue network names an address other devices can open. So that the
 * answer does not depend on the test machine's own network, the station runs inside a network
 * namespace whose only network is one end of a virtual cable (a veth pair) with the address
 * 10.77.N.1; the test, and Chromium, stay outside on the other end (10.77.N.2), as a phone on the
 * venue Wi-Fi would be. N comes from the test's process id, so parallel runs do not collide.
 * Needs root and `ip` (iproute2); skipped, saying why, without them.
 */
const bin = join(import.meta.dirname, '../../bin/racedesk.js');
const subnet = `10.77.${(process.pid % 250) + 1}`;
const stationAddress = `${subnet}.1`;
const namespace = `racedesk-${process.pid}`;
const inside = `rdn${process.pid % 100000}a`;
const outside = `rdn${process.pid % 100000}b`;

function ip(...args: string[]): string | null {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.error) return `\`ip\` is not installed (${result.error.message})`;
  return result.status === 0 ? null : `ip ${args.join(' ')}: ${result.stderr.trim()}`;
}

function createVenueNetwork(): string | null {
  const steps = [
    ['netns', 'add', namespace],
    ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside],
    ['link', 'set', inside, 'netns', namespace],
    ['addr', 'add', `${subnet}.2/24`, 'dev', outside],
    ['link', 'set', outside, 'up'],
    ['-n', namespace, 'addr', 'add', `${stationAddress}/24`, 'dev', inside],
    ['-n', namespace, 'link', 'set', inside, 'up'],
    ['-n', namespace, 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const failure = ip(...step);
    if (failure) return failure;
  }
  return null;
}

function removeVenueNetwork(): void {
  // Deleting one end of a veth pair deletes both; deleting the namespace deletes what is left in it.
  spawnSync('ip', ['link', 'del', outside]);
  spawnSync('ip', ['netns', 'del', namespace]);
}

const unavailable = createVenueNetwork();
if (unavailable) {
  removeVenueNetwork();
  console.warn(`Skipping the venue-network test: no network namespace could be made (${unavailable}). It needs root and iproute2.`);
}

const folders: string[] = [];
const children: ChildProcess[] = [];
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  if (!unavailable) removeVenueNetwork();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

interface StartedStation {
  /** The first stdout line: the address (and QR payload) for devices. */
  url: string;
  /** What the station told the crew on stderr. */
  instructions: string;
  /** The one-time admin link the station prints for the laptop's own browser. */
  adminLink: string;
}

/** `racedesk station` as the crew starts it, on a fresh data folder, optionally inside the namespace. */
async function startStation(args: string[], options: { inNamespace: boolean }): Promise<StartedStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'racedesk-station-network-'));
  folders.push(dataDir);
  const command = [bin, '--data-dir', dataDir, 'station', '--port', '0', ...args];
  const child = options.inNamespace
    ? spawn('ip', ['netns', 'exec', namespace, process.execPath, ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('Ctrl-C stops it.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`racedesk station ended early (exit ${code}):\n${stderr}`)));
  });
  const adminLink = /admin rights[^:]*: (\S+)/.exec(stderr)?.[1];
  if (!adminLink) throw new Error(`racedesk station printed no admin link:\n${stderr}`);
  return { url: stdout.split('\n')[0], instructions: stderr, adminLink };
}

/** Joins over HTTP with a pairing code, as the station's "Join" screen does: the device's token. */
async function pair(origin: string, code: string, deviceName: string): Promise<string> {
  const response = await fetch(`${origin}/api/pair`, { method: 'POST', body: JSON.stringify({ code, deviceName }) });
  const body = (await response.json()) as { ok: boolean; value: { token: string } };
  expect(body.ok).toBe(true);
  return body.value.token;
}

async function callAs<T>(origin: string, token: string, name: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${origin}/api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
  const body = (await response.json()) as { ok: true; value: T } | { ok: false; error: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error.message}`);
  return body.value;
}

interface StationInfo {
  url: string;
  shortCode: string;
  reachable: boolean;
  notice: string | null;
  qrSvg: string;
}

const qrOf = (url: string) => QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });

describe.skipIf(unavailable !== null)('a station serving the venue network (inside a network namespace)', () => {
  it('prints, encodes and reports its LAN address, and a browser on that network joins through it with the pairing code', async () => {
    const station = await startStation(['--host', '0.0.0.0', '--name', 'Venue laptop'], { inNamespace: true });
    const printed = new URL(station.url);
    expect(printed.hostname).toBe(stationAddress);
    expect(station.instructions).not.toContain('cannot join');
    const origin = printed.origin;

    // The laptop's own admin link names its loopback address; a crew chief's laptop on the venue
    // network opens it at the LAN address instead, and joins as an admin.
    const chief = await launchBrowser({ deviceName: 'Crew chief' });
    browsers.push(chief);
    await chief.page.goto(`${origin}/?pair=${new URL(station.adminLink).searchParams.get('pair')}`);
    await chief.page.getByTestId('pickup-search').waitFor();
    const admin = (await chief.page.evaluate(() => localStorage.getItem('racedesk.deviceToken')))!;
    const info = await callAs<StationInfo>(origin, admin, 'station.info');
    expect(new URL(info.url).hostname).toBe(stationAddress);
    expect(info.url).toBe(station.url);
    expect(info).toMatchObject({ reachable: true, notice: null });
    expect(info.qrSvg).toBe(await qrOf(info.url));

    // What Settings › Station shows there: the LAN address, its code, and its QR code.
    await chief.page.goto(`${origin}/#/settings`);
    await expect.poll(() => chief.page.getByTestId('station-address').textContent()).toBe(info.url);
    expect(await chief.page.getByTestId('station-short-code').textContent()).toBe(info.shortCode);
    const qrSource = (await chief.page.getByTestId('station-qr').getAttribute('src'))!;
    expect(decodeURIComponent(qrSource.slice('data:image/svg+xml;utf8,'.length))).toBe(info.qrSvg);
    await chief.page.getByTestId('station-plain-http').waitFor();

    // A tablet opens the address shown (without the code) and types the code, as when it cannot scan.
    const tablet = await launchBrowser({ deviceName: 'Table 2' });
    browsers.push(tablet);
    await tablet.page.goto(`${origin}/`);
    await tablet.page.getByTestId('pairing-screen').waitFor();
    await tablet.page.getByTestId('pairing-code').fill(info.shortCode);
    await tablet.page.keyboard.press('Enter');
    await tablet.page.getByTestId('pickup-search').waitFor();

    // The code the tablet used is spent: the station now shows (and encodes) the next one at the same address.
    const next = await callAs<StationInfo>(origin, admin, 'station.info');
    expect(next.shortCode).not.toBe(info.shortCode);
    expect(new URL(next.url).hostname).toBe(stationAddress);
    expect(next.qrSvg).toBe(await qrOf(next.url));
  });

  it('bound to loopback in the same namespace, it names 127.0.0.1 and says plainly that other devices cannot join', async () => {
    const station = await startStation([], { inNamespace: true });
    expect(new URL(station.url).hostname).toBe('127.0.0.1');
    expect(station.instructions).toContain('other devices cannot join');
    // Nothing listens at the LAN address: a device on the venue network is refused.
    await expect(fetch(`http://${stationAddress}:${new URL(station.url).port}/`)).rejects.toThrow();
  });
});

describe('a station bound to loopback', () => {
  it('says plainly that other devices cannot join, in its instructions, station.info and Settings › Station', async () => {
    const station = await startStation(['--host', '127.0.0.1'], { inNamespace: false });
    const origin = new URL(station.url).origin;
    expect(new URL(origin).hostname).toBe('127.0.0.1');
    expect(station.instructions).toContain('The station only listens on this laptop (127.0.0.1): other devices cannot join.');
    const admin = await pair(origin, new URL(station.adminLink).searchParams.get('pair')!, 'Own browser');
    const info = await callAs<StationInfo>(origin, admin, 'station.info');
    expect(info.reachable).toBe(false);
    expect(info.notice).toContain('other devices cannot join');
    expect(info.notice).toContain('racedesk station --host 0.0.0.0');

    const own = await launchBrowser({ deviceName: 'Own browser' });
    browsers.push(own);
    await own.page.addInitScript((token) => localStorage.setItem('racedesk.deviceToken', token), admin);
    await own.page.goto(`${origin}/#/settings`);
    await expect.poll(() => own.page.getByTestId('station-notice').textContent()).toBe(info.notice);
    expect(await own.page.getByTestId('station-plain-http').count()).toBe(0);
  });
});
