import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src-main/demo/embedded-hub.ts';

/**
 * A real PostgreSQL for tests: one server per test file, a fresh database per test.
 *
 * With RACEDESK_TEST_HUB_URL set (an admin URL to an existing server), databases are created
 * there instead. Otherwise a throwaway embedded PostgreSQL (src-main/demo/embedded-hub.ts,
 * real binaries from npm) is started, so a fresh machine without PostgreSQL runs the tests too.
 */
export interface TestPostgres {
  /** Superuser URL of the server (database "postgres"). */
  adminUrl: string;
  /** Creates an empty database and returns its superuser URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  /**
   * A server that accepts TLS logins only, with this certificate (tests/helpers/tls.ts). It is
   * always an embedded one (RACEDESK_TEST_HUB_URL's server is not ours to configure), and its
   * URLs carry sslmode=verify-full and the CA file, which both pg and the hub client read.
   */
  tls?: { certificate: string; key: string; caFile: string };
}

export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const { tls } = options;
  const external = process.env.RACEDESK_TEST_HUB_URL;
  if (external && !tls) return onServer(external, async () => {}, true);
  const server = await startEmbeddedPostgres({
    dir: mkdtempSync(join(tmpdir(), 'racedesk-pg-')),
    persistent: false,
    ...(tls ? { tls: { certificate: tls.certificate, key: tls.key, required: true } } : {}),
  });
  const adminUrl = new URL(server.adminUrl);
  if (tls) {
    adminUrl.searchParams.set('sslmode', 'verify-full');
    adminUrl.searchParams.set('sslrootcert', tls.caFile);
  }
  return onServer(adminUrl.toString(), () => server.stop(), false);
}

async function onServer(adminUrl: string, stopServer: () => Promise<void>, shared: boolean): Promise<TestPostgres> {
  const created: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    adminUrl,
    async createDatabase() {
      const name = `racedesk_test_${randomBytes(6).toString('hex')}`;
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      if (shared) {
        // A shared server outlives the test file: remove what this file made there.
        await admin(async (client) => {
          for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      }
      await stopServer();
    },
  };
}
