import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../src-main/simulators/runsignup.ts';
import { makeRunSignUpDataset } from '../../src-main/datasets/runsignup.ts';
import { createKeychain } from '../../src-main/core/credentials/keychain.ts';
import { forDataFolder } from '../../src-main/core/credentials/data-folder.ts';
import { runRacedesk } from '../helpers/cli.ts';

const keychainService = `racedesk-test-${randomUUID()}`;
let dataDir: string;
let sim: RunSignUpSimulator;

/** Runs the real `racedesk` command in a child process (the simulator answers from this one). */
const racedesk = (args: string[], stdin?: string) => runRacedesk({ dataDir, keychainService }, args, stdin);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'racedesk-cli-'));
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ races: 1, eventsPerRace: 2, participantsPerEvent: 30 }) });
});
afterAll(async () => {
  await sim.close();
  // The entry may already be gone (the account was removed).
  await forDataFolder(createKeychain(keychainService), dataDir)
    .delete('runsignup:main')
    .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('racedesk CLI', () => {
  it('adds a RunSignUp account, syncs it, and finds the runners with lookup --json', async () => {
    expect((await racedesk(['partner', 'set', '--id', '1', '--name', 'Acme Timing'])).code).toBe(0);
    const add = await racedesk(['account', 'add', 'runsignup', '--label', 'main', '--base-url', sim.url], JSON.stringify({ api_key: 'demo-rsu-key', api_secret: 'demo-rsu-secret' }));
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);

    const sync = await racedesk(['--json', 'sync', 'runsignup', '--account', 'main']);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ status: 'success', eventsListed: 2 });

    const someone = sim.dataset.participants[3];
    const user = someone.user as { last_name: string; first_name: string };
    const lookup = await racedesk(['--json', 'lookup', user.last_name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()]);
    expect(lookup.code).toBe(0);
    const { rows } = JSON.parse(lookup.stdout) as { rows: Array<Record<string, unknown>> };
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toContainEqual(
      expect.objectContaining({ source_provider: 'runsignup', participant_id: String(someone.registration_id), first_name: user.first_name, last_name: user.last_name }),
    );

    // A cut list says how many matched; --event keeps to one event.
    const all = JSON.parse((await racedesk(['--json', 'lookup', 'a', '--limit', '500'])).stdout) as { rows: Array<{ event_id: string }>; total: number };
    expect(all.total).toBeGreaterThan(1);
    expect((await racedesk(['lookup', 'a', '--limit', '1'])).stdout).toContain(`1 of ${all.total} matches`);
    const event = all.rows[0].event_id;
    const scoped = JSON.parse((await racedesk(['--json', 'lookup', 'a', '--limit', '500', '--event', `runsignup:${event}`])).stdout) as { rows: Array<{ event_id: string }> };
    expect(scoped.rows.length).toBeGreaterThan(0);
    expect(scoped.rows.length).toBeLessThan(all.rows.length);
    expect(new Set(scoped.rows.map((r) => r.event_id))).toEqual(new Set([event]));
    const badEvent = await racedesk(['lookup', 'a', '--event', 'runsignup:']);
    expect(badEvent.code).toBe(2);
    expect(badEvent.stderr).toContain('is not an event');

    // The station's own scope, kept in its settings.
    expect(JSON.parse((await racedesk(['--json', 'scope', '--event', `runsignup:${event}`])).stdout)).toEqual([{ provider: 'runsignup', eventId: event }]);
    expect((await racedesk(['scope'])).stdout.trim()).toBe(`runsignup:${event}`);
    expect((await racedesk(['scope', '--event', event])).code).toBe(2);
    expect((await racedesk(['scope', '--all'])).stdout.trim()).toBe('every event');

    const status = await racedesk(['--json', 'status']);
    const report = JSON.parse(status.stdout);
    expect(report.events.reduce((n: number, e: { participants: number }) => n + e.participants, 0)).toBe(60);
    expect(report.accounts).toEqual([expect.objectContaining({ provider: 'runsignup', label: 'main', lastSyncStatus: 'success' })]);
  });

  it('lists providers as JSON objects with a name', async () => {
    const run = await racedesk(['--json', 'providers']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toContainEqual(expect.objectContaining({ name: 'runsignup', secretFields: expect.any(Array) }));
  });

  it('sets a provider\'s request allowance, and providers lists it', async () => {
    const set = await racedesk(['providers', 'set-limit', 'chronotrack', '7200']);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toMatch(/chronotrack.*7200 requests an hour/);

    const list = await racedesk(['--json', 'providers']);
    const providers = JSON.parse(list.stdout) as Array<{ name: string; requestsPerHour: number }>;
    expect(providers).toContainEqual(expect.objectContaining({ name: 'chronotrack', requestsPerHour: 7200 }));
    expect(providers).toContainEqual(expect.objectContaining({ name: 'haku', requestsPerHour: 3600 }));
    const table = (await racedesk(['providers', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/per hour/);
    expect(table.find((line) => line.startsWith('chronotrack'))).toMatch(/\s7200\s/);
  });

  it('refuses a bad request allowance with exit 2 and leaves the old one', async () => {
    expect((await racedesk(['providers', 'set-limit', 'chronotrack', '7200'])).code).toBe(0);
    for (const [args, message] of [
      [['chronotrack', '0'], /<requests-per-hour> must be a positive whole number, got "0"/],
      [['chronotrack', '1.5'], /positive whole number, got "1.5"/],
      [['chronotrack', 'lots'], /positive whole number, got "lots"/],
      [['chronotrack', '100000001'], /requestsPerHour/],
      [['strava', '7200'], /provider/],
      [['chronotrack'], /missing required argument/],
    ] as const) {
      const run = await racedesk(['providers', 'set-limit', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    const list = JSON.parse((await racedesk(['--json', 'providers'])).stdout) as Array<{ name: string; requestsPerHour: number }>;
    expect(list.find((p) => p.name === 'chronotrack')?.requestsPerHour).toBe(7200);
  });

  it('a refused key exits 1 with one clear line on stderr', async () => {
    const run = await racedesk(['account', 'add', 'runsignup', '--label', 'other', '--base-url', sim.url], '{"api_key":"x","api_secret":"y"}');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^racedesk: RunSignUp refused the API key/)]);
  });

  it('usage errors exit 2', async () => {
    expect((await racedesk(['no-such-command'])).code).toBe(2);
    expect((await racedesk(['lookup'])).code).toBe(2);
    expect((await racedesk(['account', 'add', 'runsignup', '--label', 'x'], 'not json')).code).toBe(2);
  });
});
