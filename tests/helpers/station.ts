import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, createTestCore, type TestCore } from './core.ts';
import { startProviderSimulator } from '../../src-main/simulators/registry.ts';
import { startStationServer } from '../../src-main/station/server.ts';
import { createPairingCode, currentVenueCode } from '../../src-main/core/station-access/devices.ts';

export interface TestStation {
  /**
   * Open this in the browser to join as an admin device (every screen): each read makes a fresh
   * one-time admin pairing code, as the station laptop does for each device it trusts.
   */
  readonly url: string;
  /** http://127.0.0.1:PORT, for API calls with a device token as a Bearer header. */
  origin: string;
  /** The token of an admin device joined when the station started. */
  token: string;
  /** The venue pairing code the station shows now (Settings › Station); a new one once it is used. */
  readonly shortCode: string;
  port: number;
  /** Joins a device with a one-time code, as a browser does: its token (signing as `name`). */
  joinDevice(name: string, role?: 'venue' | 'admin'): Promise<string>;
  core: TestCore;
  /** Stops the server only, as when the station laptop goes away; its core and data stay. */
  stop(): Promise<void>;
  /** Serves the same core again on the same port (the address devices already have). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestStationOptions {
  /** Seed of the RunSignUp simulator's synthetic races (same seed, same runners); default 1. */
  seed?: number;
  /** Folder with the built renderer; default out/renderer (run `npx electron-vite build` first). */
  staticDir?: string;
  /** The port to listen on; default a free one. */
  port?: number;
}

/**
 * A real station server over a fresh data folder, seeded through the RunSignUp simulator (the
 * small data set: an account added and synced through the API, exactly as a crew would), for the
 * UI's Playwright tests. Needs the OS keychain: run under `node scripts/with-keychain.js`.
 */
export async function startTestStation(options: TestStationOptions = {}): Promise<TestStation> {
  const core = createTestCore();
  const sim = await startProviderSimulator('runsignup', { size: 'small', seed: options.seed ?? 1 });
  try {
    await call(core, 'partner.set', { id: 1, name: 'Test Timing' });
    await call(core, 'accounts.add', { provider: 'runsignup', label: 'Test RunSignUp', baseUrl: sim.url, secret: sim.credential });
    const summary = await call(core, 'sync.run', { provider: 'runsignup', account: 'Test RunSignUp' });
    if (summary.status !== 'success') throw new Error(`Seeding the test station failed: sync ${summary.status}`);
  } finally {
    await sim.close();
  }
  return serveTestCore(core, options.staticDir, options.port);
}

/** Serves a seeded test core as a station; close() stops the server and removes the core's data. */
export async function serveTestCore(core: TestCore, staticDir?: string, port?: number): Promise<TestStation> {
  const first = await startStationServer({ core, staticDir, port });
  let running: typeof first | null = first;
  const joinDevice = (name: string, role: 'venue' | 'admin' = 'venue') => joinStation(core, first.origin, name, role);
  const token = await joinDevice('Test admin', 'admin');
  return {
    get url() {
      return `${first.origin}/?pair=${createPairingCode(core.db, 'admin').code}`;
    },
    origin: first.origin,
    token,
    get shortCode() {
      return currentVenueCode(core.db).code;
    },
    port: first.port,
    joinDevice,
    core,
    async stop() {
      await running?.close();
      running = null;
    },
    async restart() {
      running ??= await startStationServer({ core, staticDir, port: first.port });
    },
    async close() {
      await running?.close();
      running = null;
      core.cleanup();
    },
  };
}

/** A stand-in renderer folder for tests of the server alone (no build needed). */
export function makeStaticDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><title>RaceDesk</title>');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Pairs a device with a fresh one-time code over POST /api/pair and returns its token. */
export async function joinStation(core: TestCore, origin: string, name: string, role: 'venue' | 'admin'): Promise<string> {
  const { code } = createPairingCode(core.db, role);
  const response = await fetch(`${origin}/api/pair`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code, deviceName: name }) });
  const result = (await response.json()) as { ok: boolean; value: { token: string }; error?: { message: string } };
  if (!result.ok) throw new Error(`Joining the test station failed: ${result.error?.message}`);
  return result.value.token;
}

/** Calls a handler over the station's HTTP API as a joined device does (the token as a Bearer header). */
export async function callStation<T>(station: Pick<TestStation, 'origin' | 'token'>, name: string, input: unknown): Promise<T> {
  const response = await fetch(`${station.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${station.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${name}: ${result.error?.message}`);
  return result.value;
}
