/*
 * The desktop app's responsiveness: the built core host (out/main/core-host.js) forked exactly as
 * the app starts it, a sync of N RunSignUp participants from the simulator and then a push of
 * those rows to a real PostgreSQL through it, while a "window" asks the host a cheap question
 * (partner.get) every few milliseconds. The longest wait for an answer is the longest stall of the
 * host's event loop; this process's own longest event-loop delay is what the main process (the
 * windows) sees. The host also runs tests/bench/loop-turn-probe.mjs, which says how much CPU time
 * its main thread spent in its longest loop turn: the size of its longest step, which on a loaded
 * machine the wall-clock stall overstates by the time spent waiting for a core. Needs a Secret Service: run under scripts/with-keychain.js (tests/bench/host-stalls.ts does).
 *   node --import tsx tests/bench/host-stall-worker.ts <participants>   -> one JSON line
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { forkCoreHost } from '../../src-main/core-host/fork.ts';
import type { CoreHostClient } from '../../src-main/core-host/client.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { demoRunSignUpCredential } from '../../src-main/simulators/runsignup.ts';
import { maxRequestsPerHour } from '../../src-main/core/providers/request-allowance.ts';
import { migrateHub } from '../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../src-main/core/hub/partners.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { coreHostEntry } from '../helpers/core-host.ts';
import { startWorker } from './workers.ts';

const participants = Number(process.argv[2]);
const pingEveryMs = 5;

export interface PhaseStalls {
  /** Longest wait of a window's call for the host's answer (ms). */
  hostMaxMs: number;
  /** Calls that waited more than 100 ms. */
  hostOver100: number;
  calls: number;
  /** Longest event-loop delay of the main process meanwhile (ms). */
  mainMaxMs: number;
  /** CPU time of the host's main thread in its longest loop turn (ms, 10 ms resolution). */
  hostTurnCpuMaxMs: number;
  durationMs: number;
}

/** The probe's gaps (see loop-turn-probe.mjs) that ended between from and to (epoch ms). */
function longestTurnCpuMs(from: number, to: number): number {
  if (!existsSync(turnsFile)) return 0;
  const gaps = readFileSync(turnsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.split(' ').map(Number));
  return Math.max(0, ...gaps.filter(([endedAt]) => endedAt >= from && endedAt <= to).map(([, , cpu]) => cpu));
}

async function measure(host: CoreHostClient, work: () => Promise<void>): Promise<PhaseStalls> {
  const waits: number[] = [];
  let done = false;
  const pinger = (async () => {
    while (!done) {
      const start = performance.now();
      await host.call('partner.get', {});
      waits.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, pingEveryMs));
    }
  })();
  const main = monitorEventLoopDelay({ resolution: 10 });
  main.enable();
  const start = performance.now();
  const startedAt = Date.now();
  await work();
  const durationMs = performance.now() - start;
  done = true;
  await pinger;
  main.disable();
  return {
    hostMaxMs: Math.max(...waits),
    hostOver100: waits.filter((w) => w > 100).length,
    calls: waits.length,
    mainMaxMs: main.max / 1e6,
    hostTurnCpuMaxMs: longestTurnCpuMs(startedAt, Date.now()),
    durationMs,
  };
}

async function expectOk(host: CoreHostClient, name: string, input: unknown): Promise<unknown> {
  const result = await host.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
}

const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-host-'));
const turnsFile = join(dir, 'loop-turns.txt');
const simulator = await startWorker('tests/bench/simulator-worker.ts', [String(participants)]);
const postgres = await startTestPostgres();
const probe = pathToFileURL(join(import.meta.dirname, 'loop-turn-probe.mjs')).href;
// This process plays the main process; its keychain is on no measured path.
const { client: host } = forkCoreHost(coreHostEntry, memoryCredentials(), { ...process.env, NODE_OPTIONS: `--import ${probe}`, RACEDESK_BENCH_LOOP_TURNS_FILE: turnsFile });
try {
  await host.start({ dataDir: join(dir, 'data') });
  const adminUrl = await postgres.createDatabase();
  await migrateHub({ url: adminUrl });
  const partner = await addPartner({ url: adminUrl }, 'Bench Timing');
  await expectOk(host, 'partner.set', { id: partner.timing_partner_id, name: 'Bench Timing' });
  await expectOk(host, 'accounts.add', { provider: 'runsignup', label: 'bench', baseUrl: simulator.firstLine, secret: { ...demoRunSignUpCredential } });
  // As in the ingest figure: the local simulator gets the largest request allowance.
  await expectOk(host, 'providers.setRequestsPerHour', { provider: 'runsignup', requestsPerHour: maxRequestsPerHour });

  const sync = await measure(host, async () => {
    const summary = (await expectOk(host, 'sync.run', { provider: 'runsignup', account: 'bench' })) as { status: string };
    if (summary.status !== 'success') throw new Error(`bench sync ${summary.status}`);
  });
  const hubUrl = new URL(adminUrl);
  hubUrl.username = partner.role;
  await expectOk(host, 'hub.set', { url: hubUrl.toString(), password: partner.password });
  const push = await measure(host, async () => {
    // The auto-push may have started on hub.set; a push now waits for it and sends the rest.
    await expectOk(host, 'hub.push', {});
    const status = (await expectOk(host, 'hub.status', {})) as { pendingChanges: number };
    if (status.pendingChanges !== 0) throw new Error(`${status.pendingChanges} changes left after the push`);
  });
  process.stdout.write(`${JSON.stringify({ participants, sync, push })}\n`);
} finally {
  await host.shutdown();
  await simulator.stop();
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
