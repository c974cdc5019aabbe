import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { call, type TestCore } from '../../helpers/core.ts';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { loginUrl, query } from '../hub/hub-test-kit.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { coreWithAccount } from '../../helpers/provider-session.ts';
import { makeRunSignUpDataset } from '../../../src-main/core/providers/runsignup/dataset.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/core/providers/runsignup/simulator.ts';
import { runSync } from '../../../src-main/core/sync/run-sync.ts';

/*
 * A proxy in front of RunSignUp that, once it goes wrong, answers every request in RunSignUp's own
 * error shape with the request it received: URL (api_key and api_secret in the query) and headers.
 * Servers and proxies do this; the secret must still appear nowhere RaceDesk writes, sends or prints.
 * The secret has a space, a slash and a plus, so its URL-encoded forms differ from the typed one.
 */
const key = { api_key: 'rsu-echo-key-4242', api_secret: 'rsu echo/secret+9' };
const label = 'Echo account';
const bin = join(import.meta.dirname, '../../../bin/racedesk.js');

const leakForms = Object.values(key).flatMap((value) => [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]);
const leaks = (text: string) => leakForms.filter((form) => text.includes(form));

interface EchoProxy {
  url: string;
  echo: boolean;
  close(): Promise<void>;
}

async function startEchoProxy(target: string): Promise<EchoProxy> {
  const proxy = { echo: false } as EchoProxy;
  const server: Server = createServer((req, res) => {
    if (proxy.echo) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { error_code: 99, error_msg: `Bad request ${req.method} ${req.url} headers ${JSON.stringify(req.headers)}` } }));
      return;
    }
    fetch(`${target}${req.url}`, { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } })
      .then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(await answer.text());
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}

function racedesk(core: TestCore, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '--data-dir', core.dataDir, ...args], { env: { ...process.env, RACEDESK_KEYCHAIN_SERVICE: core.keychainService } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every row of every table (sync_history, hub_outbox, logs, ...) as text. */
function everyRow(core: TestCore): string {
  const tables = core.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  return tables.map((table) => `${table}: ${JSON.stringify(core.db.prepare(`SELECT * FROM "${table}"`).all())}`).join('\n');
}

/** Every row of every hub table, as the hub's administrator sees them. */
async function everyHubRow(adminUrl: string): Promise<string> {
  const tables = await query<{ name: string }>(adminUrl, `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`);
  const dumps = await Promise.all(tables.map(async ({ name }) => `${name}: ${JSON.stringify(await query(adminUrl, `SELECT * FROM ${name}`))}`));
  return dumps.join('\n');
}

let hub: TestPostgres;
beforeAll(async () => {
  hub = await startTestPostgres();
});
afterAll(async () => {
  await hub?.stop();
});

describe('a provider that echoes the request in its error', () => {
  let sim: RunSignUpSimulator;
  let proxy: EchoProxy;
  let core: TestCore;
  let hubUrl: string;

  beforeEach(async () => {
    sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 5, races: 1, eventsPerRace: 1, participantsPerEvent: 3 }), credentials: [key] });
    proxy = await startEchoProxy(sim.url);
    hubUrl = await hub.createDatabase();
    await migrateHub({ url: hubUrl });
    const partner = await addPartner({ url: hubUrl }, 'Echo Timing');
    core = await coreWithAccount({
      provider: 'runsignup', label, baseUrl: proxy.url, secret: key, unlimitedRate: true, partner: { id: partner.timing_partner_id, name: 'Echo Timing' },
    });
    await call(core, 'hub.set', { url: loginUrl(hubUrl, partner.role, partner.password) });
    proxy.echo = true;
  });
  afterEach(async () => {
    core.cleanup();
    await proxy.close();
    await sim.close();
  });

  it('never lets the API key or secret reach the database, the outbox, the event stream, the CLI, history or the hub', async () => {
    const events: string[] = [];
    core.events.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));

    const failure = await runSync(core, { provider: 'runsignup', account: label }).then(
      () => null,
      (error: Error) => error.message,
    );
    // The echo did arrive (the message quotes it), with the secret masked.
    expect(failure).toMatch(/^RunSignUp could not give .*Bad request GET .*api_key=\*\*\*/);
    expect(leaks(failure!)).toEqual([]);
    expect(events.some((e) => e.includes('Bad request GET'))).toBe(true);
    expect(leaks(events.join('\n'))).toEqual([]);

    const cliSync = await racedesk(core, ['sync', 'runsignup', '--account', label]);
    expect(cliSync.code).not.toBe(0);
    expect(cliSync.stderr).toContain('Bad request GET');
    expect(leaks(cliSync.stderr + cliSync.stdout)).toEqual([]);

    const history = await racedesk(core, ['--json', 'history']);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain('Bad request GET');
    expect(leaks(history.stdout + history.stderr)).toEqual([]);

    const rows = everyRow(core);
    expect(rows).toContain('Bad request GET');
    expect(rows).toMatch(/hub_outbox: \[.*sync_history/s);
    expect(leaks(rows)).toEqual([]);

    await call(core, 'hub.push', {});
    const onHub = await everyHubRow(hubUrl);
    expect(onHub).toContain('Bad request GET');
    expect(leaks(onHub)).toEqual([]);
  });
});
