import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, createTestCore, type TestCore } from '../helpers/core.ts';
import { joinStation, makeStaticDir } from '../helpers/station.ts';
import { startDemo, syncDemoAccounts, type Demo } from '../../src-main/demo/demo.ts';
import { demoPartnerName } from '../../src-main/demo/demo-hub.ts';
import { withHub } from '../../src-main/core/hub/client.ts';
import { hubConnection } from '../../src-main/core/hub/hub-settings.ts';
import { runStation } from '../../src-main/station/station.ts';
import type { RunningStation } from '../../src-main/station/server.ts';

/*
 * The whole demo as `racedesk demo` runs it (small race): hub, simulators, accounts, the station
 * with its background auto-push, the syncs. Needs the OS keychain: run under
 * `node scripts/with-keychain.js`.
 */
const participantTables = ['runsignup_participants', 'ct_participants', 'raceroster_participants', 'copernico_participants', 'haku_participants'];

let folder: string;
let core: TestCore;
let demo: Demo;
let station: RunningStation;
let staticDir: ReturnType<typeof makeStaticDir>;
let hubDir: string;
let adminToken: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'racedesk-demo-test-'));
  chmodSync(folder, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the hub folder
  const dataDir = join(folder, 'data');
  hubDir = join(dataDir, 'hub');
  core = createTestCore({ dataDir });
  demo = await startDemo(core, { hubDir, size: 'small' });
  staticDir = makeStaticDir();
  station = await runStation({ core, host: '127.0.0.1', port: 0, staticDir: staticDir.dir });
  adminToken = await joinStation(core, station.origin, 'Demo office', 'admin');
});

afterAll(async () => {
  await station?.close();
  await demo?.close();
  core?.cleanup();
  staticDir?.remove();
  rmSync(folder, { recursive: true, force: true });
});

async function onHubAsPartner<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return withHub(await hubConnection(core), async (client) => (await client.query(sql, params)).rows as T[]);
}

async function until<T>(what: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await what();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function api(name: string, input: unknown): Promise<{ ok: boolean; value?: any; error?: unknown }> {
  const response = await fetch(`${station.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(input),
  });
  return response.json();
}

describe('demo mode', () => {
  it('sets this laptop up as the hub\'s demo partner', async () => {
    const settings = core.settings.read();
    expect(settings.partner).toEqual({ id: demo.hub.partner.id, name: demoPartnerName });
    expect(settings.hub?.url).toBe(demo.hub.url);
    expect(demo.hub.url).not.toMatch(/:[^/@]*@/); // no password in the URL
    const test = await call(core, 'hub.test', {});
    expect(test).toMatchObject({ ready: true, timingPartnerId: demo.hub.partner.id, role: demo.hub.partner.role });
  });

  it('pushes every provider\'s synced participants to the hub, and a check-in made through the station', async () => {
    const outcomes = await syncDemoAccounts(core, demo.accounts);
    expect(outcomes.map((o) => [o.provider, o.status])).toEqual(demo.accounts.map((a) => [a.provider, 'success']));

    // The station's auto-push, not a push of ours, empties the outbox.
    await until(async () => ((await call(core, 'hub.status', {})).pendingChanges === 0 ? true : undefined));
    for (const table of participantTables) {
      const local = (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(local, table).toBeGreaterThan(0);
      const [onHub] = await onHubAsPartner<{ total: string; ours: string }>(
        `SELECT count(*) AS total, count(*) FILTER (WHERE timing_partner_id = $1) AS ours FROM ${table}`,
        [demo.hub.partner.id],
      );
      expect({ table, total: Number(onHub.total), ours: Number(onHub.ours) }).toEqual({ table, total: local, ours: local });
    }

    const runner = core.db.prepare(`SELECT event_id, participant_id FROM haku_participants ORDER BY participant_id LIMIT 1`).get() as { event_id: string; participant_id: string };
    // The app names a Haku runner with its event (store migration 0083); the hub gets Haku's number beside event_id.
    const checkIn = await api('pickup.checkIn', { provider: 'haku', participantId: `${runner.event_id}:${runner.participant_id}` });
    expect(checkIn.ok).toBe(true);
    const changeId: string = checkIn.value.changeId;
    const [arrived] = await until(async () => {
      const rows = await onHubAsPartner<{ kind: string; participant_id: string; timing_partner_id: number }>(
        'SELECT kind, participant_id, timing_partner_id FROM participant_changes WHERE change_id = $1',
        [changeId],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(arrived).toEqual({ kind: 'check_in', participant_id: runner.participant_id, timing_partner_id: demo.hub.partner.id });
  });

  it('stops the station, the simulators and PostgreSQL, keeping the hub\'s data for the next run', async () => {
    const postgresPid = Number(readFileSync(join(hubDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(isRunning(postgresPid)).toBe(true);
    await station.close();
    await demo.close();
    expect(isRunning(postgresPid)).toBe(false);
    for (const sim of demo.simulators) await expect(fetch(sim.url)).rejects.toThrow();

    // The next run finds the same hub, partner and rows (with a new login password).
    const rows = (core.db.prepare('SELECT count(*) AS n FROM haku_participants').get() as { n: number }).n;
    const again = await startDemo(core, { hubDir, size: 'small' });
    try {
      expect(again.hub.partner).toEqual(demo.hub.partner);
      const [onHub] = await onHubAsPartner<{ n: string }>('SELECT count(*) AS n FROM haku_participants');
      expect(Number(onHub.n)).toBe(rows);
    } finally {
      await again.close();
    }
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
