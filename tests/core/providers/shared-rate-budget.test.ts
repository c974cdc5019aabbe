import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/core/store/database.ts';
import type { Db } from '../../../src-main/core/store/database.ts';
import { burstOf } from '../../../src-main/core/providers/rate-budget.ts';
import { SharedRateBudget } from '../../../src-main/core/providers/shared-rate-budget.ts';

const worker = fileURLToPath(new URL('./fixtures/bucket-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;
let file: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-bucket-'));
  file = join(dir, 'racedesk.sqlite');
  db = openDatabase(file);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Drawn {
  granted: number;
  from: number;
  to: number;
}

/** Starts a worker process; resolves `ready` when it has opened the database. */
function startWorker(provider: string, perHour: number, requests: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, file, provider, String(perHour), String(requests)], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const messages: Array<Record<string, unknown>> = [];
  let buffer = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      messages.push(JSON.parse(buffer.slice(0, newline)));
      buffer = buffer.slice(newline + 1);
      for (const wake of waiters.splice(0)) wake();
    }
  });
  const message = (test: (m: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = messages.find(test);
        if (found) return resolve(found);
        if (child.exitCode !== null) return reject(new Error(`bucket worker exited with ${child.exitCode}`));
        waiters.push(check);
      };
      child.once('exit', check);
      check();
    });
  return {
    ready: message((m) => m.ready === true),
    go: () => child.stdin!.write('go\n'),
    drawn: message((m) => typeof m.granted === 'number') as unknown as Promise<Drawn>,
  };
}

describe('the request allowance shared through SQLite', () => {
  it('is one bucket for every budget object over the same database', () => {
    let now = 1_000_000;
    const a = new SharedRateBudget(db, 'haku', 3600, () => now);
    const b = new SharedRateBudget(db, 'haku', 3600, () => now);
    const other = new SharedRateBudget(db, 'chronotrack', 3600, () => now);
    const waits = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).reserve());
    expect(waits.every((w) => w === 0)).toBe(true);
    expect(a.reserve()).toBe(1000);
    expect(b.reserve()).toBe(2000);
    expect(other.reserve()).toBe(0);
    now += 10_000;
    expect(a.reserve()).toBe(0);
  });

  it('gives two processes together one allowance, not one each', async () => {
    const perHour = 600; // bursts of 10, then one request every 6 s
    const requests = 10;
    const workers = [startWorker('runsignup', perHour, requests), startWorker('runsignup', perHour, requests)];
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const drawn = await Promise.all(workers.map((w) => w.drawn));
    const granted = drawn.reduce((n, d) => n + d.granted, 0);
    // A bucket per process would have let 2 x 10 through at once. Together they may use the burst
    // plus what refilled while they ran.
    const ranMs = Math.max(...drawn.map((d) => d.to)) - Math.min(...drawn.map((d) => d.from));
    const refilled = Math.floor((ranMs * perHour) / 3_600_000);
    expect(granted).toBeGreaterThanOrEqual(burstOf(perHour));
    expect(granted).toBeLessThanOrEqual(burstOf(perHour) + refilled);
  });
});
