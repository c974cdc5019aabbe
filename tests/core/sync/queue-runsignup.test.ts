import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { makeRunSignUpDataset, type RunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import type { SyncProgress } from '../../../src-main/core/api/events.ts';
import { enqueueJob, getJob, requestCancel, retryJob } from '../../../src-main/core/sync/job-queue.ts';
import { readCursor } from '../../../src-main/core/sync/cursors.ts';
import { Scheduler } from '../../../src-main/core/sync/scheduler.ts';
import { ManualClock } from './manual-clock.ts';

/*
 * The queue end to end: real runSync, the RunSignUp simulator, the real SQLite file and keychain
 * (run inside scripts/with-keychain.js), and real child processes for the crash and race tests.
 * 2,050 registrations per event make three pages at RunSignUp's page size of 1,000.
 */
const key = { api_key: 'rsu-queue-key', api_secret: 'rsu-queue-secret' };
const perEvent = 2050;
const worker = fileURLToPath(new URL('./fixtures/queue-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let bigDataset: RunSignUpDataset;
beforeAll(() => {
  bigDataset = makeRunSignUpDataset({ seed: 4, races: 1, eventsPerRace: 2, participantsPerEvent: perEvent });
});

let sim: RunSignUpSimulator | null = null;
let core: TestCore | null = null;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  core?.cleanup();
  await sim?.close();
  sim = core = null;
});

async function setUp(dataset: RunSignUpDataset, accounts = ['Main']): Promise<{ core: TestCore; sim: RunSignUpSimulator }> {
  sim = await startRunSignUpSimulator({ dataset: structuredClone(dataset), credentials: [key] });
  core = createTestCore();
  for (const label of accounts) await call(core, 'accounts.add', { provider: 'runsignup', label, baseUrl: sim.url, secret: key });
  return { core, sim };
}

const count = (c: TestCore, sql: string, ...params: unknown[]) => (c.db.prepare(sql).get(...params) as { n: number }).n;
const participantIds = (c: TestCore) =>
  (c.db.prepare('SELECT registration_id FROM runsignup_participants ORDER BY registration_id').all() as Array<{ registration_id: number }>).map(
    (r) => r.registration_id,
  );
const datasetIds = (dataset: RunSignUpDataset, eventId?: number) =>
  dataset.participants.filter((p) => eventId === undefined || p.event_id === eventId).map((p) => p.registration_id).sort((a, b) => a - b);

interface Worker {
  child: ChildProcess;
  exited: Promise<number | null>;
  ran: () => number[];
  ready: Promise<void>;
}

function startWorker(c: TestCore, leaseMs: number, args: string[], gate = false): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, c.dataDir, c.keychainService, String(leaseMs), ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, QUEUE_WORKER_GATE: gate ? '1' : '0' },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(`queue worker failed (${code}):\n${err}`);
      resolve(code);
    }),
  );
  const lines = () => out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { ran?: number; ready?: boolean });
  const ran = () => lines().flatMap((line) => (line.ran === undefined ? [] : [line.ran]));
  const ready = gate ? until(() => lines().some((line) => line.ready), 'the worker to start') : Promise.resolve();
  return { child, exited, ran, ready };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sync jobs through runSync and the RunSignUp simulator', () => {
  it('runs a job for one event, reports progress in order, and links its history rows', async () => {
    const { core } = await setUp(bigDataset);
    const [first, second] = bigDataset.races[0].events.map((e) => e.event_id);
    const id = enqueueJob(core.db, { provider: 'runsignup', account: 'Main', syncType: 'participants', eventId: String(first) }, Date.now()).id;
    const progress: SyncProgress[] = [];
    core.events.on('sync.progress', (p) => progress.push(p));

    await new Scheduler(core).runUntilIdle();

    expect(getJob(core.db, id)).toMatchObject({ status: 'completed', recordsProcessed: perEvent, claimedBy: null });
    expect(participantIds(core)).toEqual(datasetIds(bigDataset, first));
    expect(count(core, 'SELECT count(*) AS n FROM runsignup_participants WHERE event_id = ?', second)).toBe(0);
    expect(progress.every((p) => p.runId === `job-${id}` && p.provider === 'runsignup' && p.account === 'Main')).toBe(true);
    expect(progress.map((p) => [p.phase, p.page, p.pageCount, p.records])).toEqual([
      ['events', 0, null, 0],
      ['participants', 0, null, 0],
      ['participants', 1, null, 1000],
      ['participants', 2, null, 2000],
      ['participants', 3, null, perEvent],
      ['done', 0, null, perEvent],
    ]);
    expect(core.db.prepare('SELECT sync_type, status, event_id FROM sync_history WHERE job_id = ? ORDER BY id').all(id)).toEqual([
      { sync_type: 'events', status: 'success', event_id: null },
      { sync_type: 'participants', status: 'success', event_id: String(first) },
    ]);
  });

  it('backs off and marks the job failed after max_retries against a provider that keeps failing', async () => {
    const { core, sim } = await setUp(makeRunSignUpDataset({ seed: 5, races: 1, eventsPerRace: 1, participantsPerEvent: 3 }));
    sim.faults.serverErrorNext = 1_000_000;
    const clock = new ManualClock(Date.now());
    const id = enqueueJob(core.db, { provider: 'runsignup', account: 'Main', syncType: 'participants', maxRetries: 2 }, clock.now()).id;
    const scheduler = new Scheduler(core, { clock, backoff: { baseMs: 60_000, maxMs: 3_600_000 }, random: () => 0 });
    const waits: number[] = [];
    for (;;) {
      await scheduler.runUntilIdle();
      const job = getJob(core.db, id);
      if (job.status !== 'pending') break;
      const wait = Date.parse(job.scheduledFor) - clock.now();
      waits.push(wait);
      clock.advance(wait);
    }
    expect(waits).toEqual([30_000, 60_000]);
    expect(getJob(core.db, id)).toMatchObject({ status: 'failed', retryCount: 2, lastErrorCode: 'provider_error' });
    expect(getJob(core.db, id).lastError).toMatch(/HTTP 503/);
    const history = core.db.prepare('SELECT status, error_message FROM sync_history WHERE job_id = ? ORDER BY id').all(id) as Array<{
      status: string;
      error_message: string;
    }>;
    expect(history).toHaveLength(3);
    expect(history.every((h) => h.status === 'failed' && /HTTP 503/.test(h.error_message))).toBe(true);
  });

  it('stops a cancelled job at a page boundary with the pages it stored intact, and a retry completes it', async () => {
    const { core, sim } = await setUp(bigDataset);
    const [first] = bigDataset.races[0].events.map((e) => e.event_id);
    const id = enqueueJob(core.db, { provider: 'runsignup', account: 'Main', syncType: 'participants', eventId: String(first) }, Date.now()).id;
    // Someone presses Cancel while the first page is being stored (through the queue, as the UI does).
    const pressCancel = core.events.on('sync.progress', (p) => {
      if (p.phase === 'participants' && p.page === 1) requestCancel(core.db, id, Date.now());
    });
    await new Scheduler(core).runUntilIdle();
    pressCancel();

    const job = getJob(core.db, id);
    expect(job.status).toBe('cancelled');
    const stored = count(core, 'SELECT count(*) AS n FROM runsignup_participants');
    // The cancel is seen at the next page boundary: whole pages only, never part of one.
    expect(stored).toBe(2000);
    expect(participantIds(core)).toEqual(datasetIds(bigDataset, first).slice(0, 2000));
    // At most the third page was asked for too, the one read ahead while the second was stored
    // (sync/read-ahead.ts); none of it is stored.
    expect([2, 3]).toContain(sim.requests.filter((r) => r.path.endsWith('/participants')).length);
    expect(core.db.prepare(`SELECT status, records_processed FROM sync_history WHERE job_id = ? AND sync_type = 'participants'`).get(id)).toEqual({
      status: 'partial',
      records_processed: 2000,
    });
    expect(readCursor(core.db, { provider: 'runsignup', account: 'Main', syncType: 'participants', eventId: String(first) })).toBeNull();

    retryJob(core.db, id, Date.now());
    await new Scheduler(core).runUntilIdle();
    expect(getJob(core.db, id).status).toBe('completed');
    expect(participantIds(core)).toEqual(datasetIds(bigDataset, first));
  });

  it('resumes a job whose process was killed with SIGKILL mid-job, with no lost and no duplicated rows', async () => {
    const { core, sim } = await setUp(bigDataset);
    sim.faults.delayMs = 150;
    const id = enqueueJob(core.db, { provider: 'runsignup', account: 'Main', syncType: 'participants' }, Date.now()).id;

    const doomed = startWorker(core, 1_000, ['settle', String(id)]);
    await until(() => getJob(core.db, id).recordsProcessed >= 1000, 'the first page to be stored');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const orphan = getJob(core.db, id);
    expect(orphan.status).toBe('running');
    expect(orphan.claimedBy).not.toBeNull();
    const storedBeforeCrash = count(core, 'SELECT count(*) AS n FROM runsignup_participants');
    expect(storedBeforeCrash).toBeGreaterThanOrEqual(1000);
    expect(storedBeforeCrash).toBeLessThan(bigDataset.participants.length);

    sim.faults.delayMs = 0;
    const restarted = startWorker(core, 1_000, ['settle', String(id)]);
    expect(await restarted.exited).toBe(0);
    expect(restarted.ran()).toEqual([id]);

    const job = getJob(core.db, id);
    expect(job).toMatchObject({ status: 'completed', retryCount: 0, claimedBy: null });
    expect(count(core, 'SELECT count(*) AS n FROM runsignup_participants')).toBe(bigDataset.participants.length);
    expect(participantIds(core)).toEqual(datasetIds(bigDataset));
    expect(count(core, 'SELECT count(*) AS n FROM runsignup_events')).toBe(2);
    const history = core.db.prepare('SELECT sync_type, status, event_id, error_message FROM sync_history WHERE job_id = ? ORDER BY id').all(id) as Array<
      Record<string, string | null>
    >;
    expect(history.filter((h) => h.status === 'running')).toEqual([]);
    expect(history.filter((h) => h.status === 'failed')).toEqual([]);
    expect(history.filter((h) => h.status === 'interrupted')).toEqual([
      expect.objectContaining({ sync_type: 'participants', error_message: 'The app stopped during this run; the job was started again.' }),
    ]);
    const successes = history.filter((h) => h.status === 'success' && h.sync_type === 'participants').map((h) => h.event_id);
    expect(successes.sort()).toEqual(bigDataset.races[0].events.map((e) => String(e.event_id)).sort());
  });

  it('takes over at once a job whose process was killed, however long its lease, and closes its history on the hub too', async () => {
    const { core, sim } = await setUp(bigDataset);
    sim.faults.delayMs = 150;
    const id = enqueueJob(core.db, { provider: 'runsignup', account: 'Main', syncType: 'participants' }, Date.now()).id;
    const tenMinutes = 600_000;
    const doomed = startWorker(core, tenMinutes, ['settle', String(id)]);
    await until(() => getJob(core.db, id).recordsProcessed >= 1000, 'the first page to be stored');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const orphan = getJob(core.db, id);
    expect(orphan.status).toBe('running');
    expect(Date.parse(orphan.leaseUntil ?? '')).toBeGreaterThan(Date.now() + tenMinutes / 2);
    const interrupted = core.db.prepare(`SELECT id FROM sync_history WHERE status = 'running' AND sync_type = 'participants'`).all() as Array<{ id: number }>;
    expect(interrupted).toHaveLength(1);
    // As if the running row had already gone to the hub: the hub must now learn how it ended.
    core.db.prepare(`DELETE FROM hub_outbox WHERE table_name = 'sync_history'`).run();

    sim.faults.delayMs = 0;
    const restarted = startWorker(core, tenMinutes, ['settle', String(id)]);
    expect(await restarted.exited).toBe(0);
    expect(restarted.ran()).toEqual([id]);
    expect(getJob(core.db, id)).toMatchObject({ status: 'completed', retryCount: 0, claimedBy: null });
    expect(count(core, 'SELECT count(*) AS n FROM runsignup_participants')).toBe(bigDataset.participants.length);
    expect(core.db.prepare('SELECT status, job_id, error_message FROM sync_history WHERE id = ?').get(interrupted[0].id)).toEqual({
      status: 'interrupted',
      job_id: id,
      error_message: 'The app stopped during this run; the job was started again.',
    });
    const queued = core.db.prepare(`SELECT row_key FROM hub_outbox WHERE table_name = 'sync_history'`).all() as Array<{ row_key: string }>;
    expect(queued.map((entry) => entry.row_key)).toContain(JSON.stringify({ id: interrupted[0].id }));
  });

  it('never runs the same job twice when two schedulers in two processes share the database', async () => {
    const small = makeRunSignUpDataset({ seed: 6, races: 1, eventsPerRace: 2, participantsPerEvent: 12 });
    const accounts = ['Desk A', 'Desk B', 'Desk C'];
    const { core, sim } = await setUp(small, accounts);
    sim.faults.delayMs = 100;
    const ids: number[] = [];
    for (const account of accounts) {
      for (const event of small.races[0].events) {
        ids.push(enqueueJob(core.db, { provider: 'runsignup', account, syncType: 'participants', eventId: String(event.event_id) }, Date.now()).id);
      }
    }
    const one = startWorker(core, 10_000, ['drain'], true);
    const two = startWorker(core, 10_000, ['drain'], true);
    await Promise.all([one.ready, two.ready]);
    one.child.stdin!.end('go\n');
    two.child.stdin!.end('go\n');
    expect(await Promise.all([one.exited, two.exited])).toEqual([0, 0]);

    // Both took part, and together they ran every job exactly once.
    expect(one.ran().length).toBeGreaterThan(0);
    expect(two.ran().length).toBeGreaterThan(0);
    const ran = [...one.ran(), ...two.ran()].sort((a, b) => a - b);
    expect(ran).toEqual(ids);
    for (const id of ids) {
      expect(getJob(core.db, id).status).toBe('completed');
      expect(count(core, `SELECT count(*) AS n FROM sync_history WHERE job_id = ? AND sync_type = 'participants'`, id)).toBe(1);
    }
    const participantRequests = sim.requests.filter((r) => r.path.endsWith('/participants'));
    expect(participantRequests).toHaveLength(ids.length);
    expect(count(core, 'SELECT count(*) AS n FROM runsignup_participants')).toBe(small.participants.length);
  });
});
