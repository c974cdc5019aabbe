import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src-main/demo/embedded-hub.ts';
import { query } from '../core/hub/hub-test-kit.ts';

const folders: string[] = [];
const servers: EmbeddedPostgres[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'racedesk-embedded-'));
  chmodSync(folder, 0o755); // run as root, PostgreSQL runs as the postgres user, who must reach inside
  folders.push(folder);
  return folder;
}

function postmasterPid(dir: string): number {
  return Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startEmbeddedPostgres', () => {
  it('throwaway: a real server on 127.0.0.1; stop() ends the process and deletes the folder', async () => {
    const dir = join(freshFolder(), 'pg');
    const server = await startEmbeddedPostgres({ dir, persistent: false });
    servers.push(server);
    const pid = postmasterPid(dir);
    const [row] = await query<{ version: string; fsync: string }>(server.adminUrl, `SELECT version(), current_setting('fsync') AS fsync`);
    expect(row.version).toMatch(/^PostgreSQL \d+/);
    expect(row.fsync).toBe('off');
    expect(server.passFile).toBeNull();

    await server.stop();
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    await server.stop(); // safe to repeat
  });

  it('persistent: keeps data and the superuser password (in a pgpass file) for the next start', async () => {
    const dir = join(freshFolder(), 'hub');
    const first = await startEmbeddedPostgres({ dir, persistent: true });
    servers.push(first);
    await query(first.adminUrl, 'CREATE TABLE kept (n INTEGER); INSERT INTO kept VALUES (42)');
    expect(first.passFile).toBe(join(dir, 'pgpass'));
    expect(statSync(first.passFile!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.passFile!, 'utf8')).toBe(`*:*:*:postgres:${new URL(first.adminUrl).password}\n`);
    await first.stop();

    const second = await startEmbeddedPostgres({ dir, persistent: true });
    servers.push(second);
    expect(new URL(second.adminUrl).password).toBe(new URL(first.adminUrl).password);
    expect(await query(second.adminUrl, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    await second.stop();
    expect(existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(true);
  });

  it('stop() returns when PostgreSQL has already exited (Ctrl-C reaches the whole process group)', async () => {
    const dir = join(freshFolder(), 'pg');
    const server = await startEmbeddedPostgres({ dir, persistent: false });
    servers.push(server);
    const pid = postmasterPid(dir);
    process.kill(pid, 'SIGINT');
    while (isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setImmediate(resolve));

    await server.stop();
    expect(existsSync(dir)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('as root, names a folder the postgres user cannot enter', async () => {
    const locked = mkdtempSync(join(tmpdir(), 'racedesk-embedded-'));
    folders.push(locked);
    await expect(startEmbeddedPostgres({ dir: join(locked, 'hub'), persistent: true })).rejects.toThrow(
      `the postgres user here (this is root), and that user cannot enter ${locked}`,
    );
  });

  it('refuses a second server on a folder in use, naming the folder', async () => {
    const dir = join(freshFolder(), 'hub');
    servers.push(await startEmbeddedPostgres({ dir, persistent: true }));
    await expect(startEmbeddedPostgres({ dir, persistent: true })).rejects.toThrow(/PostgreSQL could not start in .*hub: another PostgreSQL is using that folder/);
  });
});
