import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, type TestCore } from '../../helpers/core.ts';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { loginUrl, query } from '../hub/hub-test-kit.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { coreWithAccount } from '../../helpers/provider-session.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { runSync } from '../../../src-main/core/sync/run-sync.ts';
import { startRaceRosterSimulator } from '../../../src-main/simulators/raceroster.ts';
import { runRacedesk } from '../../helpers/cli.ts';

/*
 * A proxy in front of RunSignUp that, once it goes wrong, answers every request in RunSignUp's own
 * error shape with the request it received: URL (api_key and api_secret in the query) and headers.
 * Servers and proxies do this; the secret must still appear nowhere RaceDesk writes, sends or prints.
 * The secret has a space, a slash and a plus, so its URL-encoded forms differ from the typed one.
 */
const key = { api_key: 'rsu-echo-key-4242', api_secret: 'rsu echo/secret+9' };
const label = 'Echo account';

const leakForms = Object.values(key).flatMap((value) => [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]);
const leaks = (text: string) => leakForms.filter((form) => text.includes(form));

interface EchoProxy {
  /** The simulator's base URL, through the proxy. */
  url: string;
  echo: boolean;
  /** Authorization headers the proxy saw (a Race Roster access token among them). */
  authorizations: Set<string>;
  close(): Promise<void>;
}

/** Forwards to the simulator until `echo`, then answers requests that `echoes` picks with `answer(the request as text)`. */
async function startEchoProxy(
  target: string,
  answer: (request: string) => { status: number; body: unknown },
  echoes: (path: string) => boolean = () => true,
): Promise<EchoProxy> {
  const proxy = { echo: false, authorizations: new Set<string>() } as EchoProxy;
  const origin = new URL(target).origin;
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization) proxy.authorizations.add(req.headers.authorization);
    if (proxy.echo && echoes(req.url ?? '')) {
      const echoed = answer(`Bad request ${req.method} ${req.url} headers ${JSON.stringify(req.headers)}`);
      res.writeHead(echoed.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(echoed.body));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
      fetch(`${origin}${req.url}`, { method: req.method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined })
        .then(async (forwarded) => {
          res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
          res.end(await forwarded.text());
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(target).pathname.replace(/\/$/, '')}`;
  proxy.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}

const racedesk = (core: TestCore, args: string[]) => runRacedesk(core, args);

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
    proxy = await startEchoProxy(sim.url, (request) => ({ status: 400, body: { error: { error_code: 99, error_msg: request } } }));
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

describe('a Race Roster API that echoes the request in its error', () => {
  it('masks the access token obtained during the session, which is no account field', async () => {
    const sim = await startRaceRosterSimulator({ participantsPerSubEvent: 2 });
    // The token endpoint answers as usual; the API behind it echoes (Race Roster's errors carry a message).
    const proxy = await startEchoProxy(sim.url, (request) => ({ status: 400, body: { message: request } }), (path) => !path.includes('/oauth/'));
    const core = await coreWithAccount({ provider: 'raceroster', label, baseUrl: proxy.url, secret: sim.secret, unlimitedRate: true });
    try {
      proxy.echo = true;
      const events: string[] = [];
      core.events.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
      const failure = await runSync(core, { provider: 'raceroster', account: label }).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/^Race Roster answered HTTP 400 for .*Bad request GET .*"authorization":"\*\*\*"/);
      const tokens = [...proxy.authorizations].map((header) => header.replace(/^Bearer /, ''));
      expect(tokens.length).toBeGreaterThan(0);
      const secrets = [...tokens, ...Object.values(sim.secret).filter((value) => value.length >= 4)];
      const written = [failure!, events.join('\n'), everyRow(core)].join('\n');
      expect(written).toContain('Bad request GET');
      expect(secrets.filter((secret) => written.includes(secret))).toEqual([]);
    } finally {
      core.cleanup();
      await proxy.close();
      await sim.close();
    }
  });
});
