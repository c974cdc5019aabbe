import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { makeTestCertificates, type TestCertificates } from '../../helpers/tls.ts';
import { startTcpProxy } from '../../helpers/tcp-proxy.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { connectHub, type HubConnection } from '../../../src-main/core/hub/client.ts';
import { startEmbeddedPostgres } from '../../../src-main/demo/embedded-hub.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { pendingChangeCount } from '../../../src-main/core/hub/outbox.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { RaceDeskError } from '../../../src-main/core/errors.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';
import { hubSnapshot, localSnapshot, workRound } from './laptop-kit.ts';
import { loginUrl, query, withoutPassword } from './hub-test-kit.ts';

/*
 * TLS against a real PostgreSQL that takes TLS logins only (pg_hba hostssl), with a certificate
 * for 127.0.0.1 and localhost from a throwaway CA: what a hub on the internet looks like.
 * The push through a core uses the real OS keychain: run as
 * `node scripts/with-keychain.js npx vitest run tests/core/hub`.
 */
let certificates: TestCertificates;
let server: TestPostgres;
beforeAll(async () => {
  certificates = makeTestCertificates();
  server = await startTestPostgres({ tls: certificates });
});
afterAll(async () => {
  await server?.stop();
  certificates?.cleanup();
});

let core: TestCore | undefined;
afterEach(() => {
  core?.cleanup();
  core = undefined;
});

/** The superuser's login to the server with this sslmode and host; the CA file, if any, goes beside it as settings.hub.caFile does. */
function login(sslmode: string, caFile?: string, address: { host?: string; port?: number } = {}): HubConnection {
  const url = new URL(server.adminUrl);
  url.searchParams.delete('sslrootcert');
  url.searchParams.set('sslmode', sslmode);
  if (address.host) url.hostname = address.host;
  if (address.port) url.port = String(address.port);
  return { ...withoutPassword(url.toString()), caFile };
}

async function tlsInUse(connection: HubConnection): Promise<{ ssl: boolean; version: string }> {
  const client = await connectHub(connection);
  try {
    const { rows } = await client.query<{ ssl: boolean; version: string }>('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return rows[0];
  } finally {
    await client.end();
  }
}

async function refusal(connection: HubConnection): Promise<RaceDeskError> {
  const outcome = await connectHub(connection).then(
    async (client) => {
      await client.end();
      return null;
    },
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(RaceDeskError);
  const error = outcome as RaceDeskError;
  expect(error.message).not.toMatch(/\n\s+at /);
  return error;
}

describe('hub TLS against a real PostgreSQL', () => {
  it('sslmode=require encrypts without checking the certificate; with a CA file it checks who signed it, as libpq does', async () => {
    expect(await tlsInUse(login('require'))).toEqual({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect((await tlsInUse(login('require', certificates.caFile))).ssl).toBe(true);
    const error = await refusal(login('require', certificates.otherCaFile));
    expect(error.code).toBe('hub_error');
    expect(error.message).toContain(`presented a certificate that is not signed by the CA certificate in ${certificates.otherCaFile}`);
  });

  it('sslmode=verify-full with the right CA file connects, by IP address and by host name', async () => {
    expect((await tlsInUse(login('verify-full', certificates.caFile))).ssl).toBe(true);
    expect((await tlsInUse(login('verify-full', certificates.caFile, { host: 'localhost' }))).ssl).toBe(true);
  });

  it('sslmode=verify-full refuses a certificate from another CA, or with no CA file one that no system CA signed, and says which', async () => {
    const wrongCa = await refusal(login('verify-full', certificates.otherCaFile));
    expect(wrongCa.code).toBe('hub_error');
    expect(wrongCa.message).toMatch(
      new RegExp(`^The hub at postgres://postgres@127\\.0\\.0\\.1:\\d+/postgres\\?sslmode=verify-full presented a certificate that is not signed by the CA certificate in ${certificates.otherCaFile} \\(unable to verify the first certificate\\)\\.$`),
    );
    const noCa = await refusal(login('verify-full'));
    expect(noCa.message).toMatch(/not signed by a CA this computer trusts \(no CA file is set: give the hub's CA certificate with racedesk hub set --ca-file\)/);
  });

  it('sslmode=verify-full refuses a host name the certificate does not name; verify-ca checks only who signed it', async () => {
    // Another loopback address: the same server, reached under a name its certificate lacks.
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(server.adminUrl).port) }, '127.0.0.2');
    try {
      const elsewhere = { host: '127.0.0.2', port: proxy.port };
      const error = await refusal(login('verify-full', certificates.caFile, elsewhere));
      expect(error.code).toBe('hub_error');
      expect(error.message).toMatch(/^The hub's certificate is not for the host 127\.0\.0\.2 in postgres:\/\/postgres@127\.0\.0\.2:\d+\/postgres\?sslmode=verify-full \(IP: 127\.0\.0\.2 is not in the cert's list: 127\.0\.0\.1\); it names IP Address:127\.0\.0\.1, DNS:localhost\. Put a host name the certificate names in the hub URL\.$/);
      expect((await tlsInUse(login('verify-ca', certificates.caFile, elsewhere))).ssl).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('a hub that takes TLS logins only refuses sslmode=disable, saying what to put in the URL', async () => {
    const error = await refusal(login('disable'));
    expect(error.code).toBe('hub_error');
    expect(error.message).toMatch(
      /^The hub at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable accepts only TLS connections, and the URL says sslmode=disable\. Put sslmode=verify-full in the hub URL, with the hub's CA certificate as the CA file \(set it with racedesk hub set --ca-file\)\.$/,
    );
    const { url } = login('disable');
    const noMode = new URL(url);
    noMode.searchParams.delete('sslmode');
    expect((await refusal({ url: noMode.toString(), password: 'unused' })).message).toContain('accepts only TLS connections, and the URL sets no sslmode.');
  });

  it('hub.set with sslmode=verify-full and a CA file: hub.test and hub.push reach the hub over TLS and land the rows', async () => {
    // migrateHub and addPartner take the admin URL, which carries sslmode=verify-full and sslrootcert.
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    core = createTestCore();
    updateSettings(core.settings, (s) => ({ ...s, partner: { id: partner.timing_partner_id, name: 'Acme Timing' } }));
    const url = new URL(loginUrl(adminUrl, partner.role, ''));
    url.searchParams.delete('sslrootcert');

    // The wrong CA file first: the API answers with the certificate problem, not a stack trace.
    await call(core, 'hub.set', { url: url.toString(), password: partner.password, caFile: certificates.otherCaFile });
    expect(await dispatch(core, 'hub.test', {})).toEqual({
      ok: false,
      error: { code: 'hub_error', message: expect.stringContaining(`presented a certificate that is not signed by the CA certificate in ${certificates.otherCaFile}`) },
    });

    const saved = await call(core, 'hub.set', { url: url.toString(), password: partner.password, caFile: certificates.caFile });
    expect(saved).toEqual({ url: expect.stringMatching(/\?sslmode=verify-full$/), caFile: certificates.caFile });
    expect(await call(core, 'hub.test', {})).toMatchObject({
      ready: true,
      role: partner.role,
      problem: null,
      tls: `encrypted, certificate and host name checked against the CA in ${certificates.caFile}: sslmode=verify-full`,
    });
    // Plain text to a host that is not this computer needs --insecure.
    const remote = new URL(url);
    remote.hostname = 'hub.example.com';
    remote.searchParams.set('sslmode', 'disable');
    await expect(call(core, 'hub.set', { url: remote.toString(), password: partner.password })).rejects.toThrow(/pass --insecure/);
    expect(core.settings.read().hub?.url).toBe(saved.url);
    workRound(core.db, 1, 6);
    const pending = pendingChangeCount(core.db);
    // The server takes no login without TLS (the test above), so rows that land came over TLS.
    expect(await call(core, 'hub.push', {})).toEqual({ batches: 1, rows: pending, pending: 0 });
    expect(await hubSnapshot(adminUrl, partner.timing_partner_id)).toEqual(localSnapshot(core.db));
    expect(await query(adminUrl, `SELECT count(*)::int AS n FROM runsignup_participants`)).not.toEqual([{ n: 0 }]);

    // Batches of megabytes: each is flushed through the TLS socket before the laptop prepares the
    // next one while the hub applies it.
    workRound(core.db, 2, 12_000);
    const more = pendingChangeCount(core.db);
    expect(await call(core, 'hub.push', {})).toEqual({ batches: Math.ceil(more / 5_000), rows: more, pending: 0 });
    expect(await hubSnapshot(adminUrl, partner.timing_partner_id)).toEqual(localSnapshot(core.db));
  });
});

describe('hub TLS against a PostgreSQL without TLS', () => {
  it('sslmode=require is refused with who must turn TLS on', async () => {
    // Always our own server: one from RACEDESK_TEST_HUB_URL may well offer TLS.
    const plain = await startEmbeddedPostgres({ dir: mkdtempSync(join(tmpdir(), 'racedesk-pg-')), persistent: false });
    try {
      const url = new URL(plain.adminUrl);
      url.searchParams.set('sslmode', 'require');
      const error = await refusal(withoutPassword(url.toString()));
      expect(error.code).toBe('hub_error');
      expect(error.message).toMatch(/^The hub at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=require does not offer TLS, but the URL asks for sslmode=require\. Its administrator must turn TLS on\.$/);
    } finally {
      await plain.stop();
    }
  });
});
