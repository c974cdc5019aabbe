import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * `racedesk demo --small` as a person runs it in a terminal, stopped with Ctrl-C: the signal goes
 * to the whole process group, so PostgreSQL gets it too. Needs the OS keychain (the demo's own
 * service): run under `node scripts/with-keychain.js`.
 */
const bin = join(import.meta.dirname, '../../../bin/racedesk.js');
const folder = mkdtempSync(join(tmpdir(), 'racedesk-demo-cli-'));
chmodSync(folder, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the hub folder
const dataDir = join(folder, 'data');
let child: ChildProcess | null = null;

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

describe('racedesk demo', () => {
  it('prints the station URL first, then the hub; Ctrl-C stops everything and exits 0', async () => {
    child = spawn(process.execPath, [bin, '--data-dir', dataDir, 'demo', '--small'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child!.stderr!.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('Demo ready.')) resolve();
      });
      child!.once('exit', () => reject(new Error(`racedesk demo ended early:\n${stderr}`)));
    });

    expect(stdout.split('\n')[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?pair=\S+$/);
    const hubDir = join(dataDir, 'hub');
    expect(stderr).toContain(`Hub: postgres://racedesk_p1_`);
    expect(stderr).toContain(`data in ${hubDir}), timing partner 1 "Demo Timing Co."`);
    const superuserPassword = readFileSync(join(hubDir, 'pgpass'), 'utf8').trim().split(':').at(-1)!;
    expect(stderr).not.toContain(superuserPassword);
    expect(stderr).toMatch(/Demo Haku: success, \d+ records/);

    const postgresPid = Number(readFileSync(join(hubDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Demo stopped');
    expect(isRunning(postgresPid)).toBe(false);
    expect(postgresProcessesIn(hubDir)).toEqual([]);
    expect(existsSync(join(hubDir, 'data', 'PG_VERSION'))).toBe(true);
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

/** Any process (the server or one of its workers) still running on the hub's data folder. */
function postgresProcessesIn(dir: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}
