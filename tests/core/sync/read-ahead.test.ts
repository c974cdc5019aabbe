import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCore } from '../../helpers/core.ts';
import { coreWithAccount } from '../../helpers/provider-session.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { defaultParticipantPageSize } from '../../../src-main/core/providers/runsignup/session.ts';
import { runSync } from '../../../src-main/core/sync/run-sync.ts';
import { readCursor } from '../../../src-main/core/sync/cursors.ts';
import { readAhead } from '../../../src-main/core/sync/read-ahead.ts';
import { letEventLoopRun } from '../../../src-main/core/event-loop.ts';

describe('readAhead', () => {
  /** A source that logs when each item is asked for and when it is closed. */
  function counting(log: string[], items: number, failAt?: number) {
    return async function* (signal: AbortSignal): AsyncGenerator<number> {
      try {
        for (let item = 1; item <= items; item++) {
          log.push(`asked ${item}`);
          await letEventLoopRun();
          if (signal.aborted) throw signal.reason;
          if (item === failAt) throw new Error(`item ${item} is malformed`);
          yield item;
        }
      } finally {
        log.push('closed');
      }
    };
  }

  it('asks for the next item while the current one is worked on, never for two ahead', async () => {
    const log: string[] = [];
    for await (const item of readAhead(counting(log, 3))) {
      // Several turns of the loop, as storing a page in slices takes.
      for (let turn = 0; turn < 5; turn++) await letEventLoopRun();
      log.push(`stored ${item}`);
    }
    expect(log).toEqual(['asked 1', 'asked 2', 'stored 1', 'asked 3', 'stored 2', 'closed', 'stored 3']);
  });

  it('throws a failed item where the caller asks for it, after the item before it was worked on', async () => {
    const log: string[] = [];
    const run = async () => {
      for await (const item of readAhead(counting(log, 3, 2))) {
        for (let turn = 0; turn < 5; turn++) await letEventLoopRun();
        log.push(`stored ${item}`);
      }
    };
    await expect(run()).rejects.toThrow('item 2 is malformed');
    expect(log).toEqual(['asked 1', 'asked 2', 'closed', 'stored 1']);
  });

  it('aborts and awaits the item ahead when the caller stops early, and closes the source', async () => {
    const log: string[] = [];
    const pending = async function* (signal: AbortSignal): AsyncGenerator<number> {
      try {
        yield 1;
        log.push('asked 2');
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        yield 2;
      } catch (error) {
        log.push(`request 2 ended: ${(error as Error).name}`);
        throw error;
      } finally {
        log.push('closed');
      }
    };
    for await (const item of readAhead(pending)) {
      log.push(`stored ${item}`);
      break;
    }
    // Nothing of the source runs after the caller's loop is left.
    expect(log).toEqual(['asked 2', 'stored 1', 'request 2 ended: AbortError', 'closed']);
  });

  it('passes the caller’s cancel to the request ahead', async () => {
    const log: string[] = [];
    const cancel = new AbortController();
    const run = async () => {
      for await (const item of readAhead(counting(log, 3), cancel.signal)) {
        cancel.abort(new Error('cancelled by the crew'));
        await letEventLoopRun();
        log.push(`stored ${item}`);
      }
    };
    await expect(run()).rejects.toThrow('cancelled by the crew');
    expect(log).toEqual(['asked 1', 'asked 2', 'closed', 'stored 1']);
  });
});

/*
 * The runner against a RunSignUp simulator: the count of stored rows at the moment each
 * participants request arrives shows what the runner had stored when it asked for that page.
 */
describe('runSync reads one page ahead', () => {
  const key = { api_key: 'rsu-read-ahead-key', api_secret: 'rsu-read-ahead-secret' };
  const label = 'Timer account';
  const pageSize = defaultParticipantPageSize;
  let sim: RunSignUpSimulator;
  let core: TestCore;
  let raceId: number;
  let eventId: number;
  /** Rows stored when each participants page was asked for. */
  let storedAtRequest: number[];

  beforeEach(async () => {
    sim = await startRunSignUpSimulator({
      dataset: makeRunSignUpDataset({ seed: 41, races: 1, eventsPerRace: 1, participantsPerEvent: 2 * pageSize + 100 }),
      credentials: [key],
    });
    raceId = sim.dataset.races[0].race.race_id;
    eventId = sim.dataset.races[0].events[0].event_id;
    core = await coreWithAccount({ provider: 'runsignup', label, baseUrl: sim.url, secret: key, unlimitedRate: true });
    storedAtRequest = [];
    sim.arrivals.push((request) => {
      if (request.path === `/Rest/race/${raceId}/participants`) storedAtRequest.push(stored());
    });
  });
  afterEach(async () => {
    core.cleanup();
    await sim.close();
  });

  const stored = () => (core.db.prepare('SELECT count(*) AS n FROM runsignup_participants').get() as { n: number }).n;
  const history = () => core.db.prepare(`SELECT status, records_processed FROM sync_history WHERE sync_type = 'participants'`).all();
  const cursor = () => readCursor(core.db, { provider: 'runsignup', account: label, syncType: 'participants', eventId: String(eventId) });

  it('asks for page k+1 while page k is stored, and not before page k-1 is stored', async () => {
    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary.outcomes).toEqual([expect.objectContaining({ status: 'success', records: 2 * pageSize + 100 })]);
    expect(storedAtRequest).toHaveLength(3);
    const [first, second, third] = storedAtRequest;
    expect(first).toBe(0);
    expect(second).toBeLessThan(pageSize);
    expect(third).toBeGreaterThanOrEqual(pageSize);
    expect(third).toBeLessThan(2 * pageSize);
    expect(stored()).toBe(2 * pageSize + 100);
    expect(cursor()).not.toBeNull();
  });

  it('ends the run on a failing page asked for ahead as it did without read-ahead: the pages before it stored, partial, no cursor', async () => {
    sim.arrivals.push(() => {
      // The race is closed to the account the moment the second page is asked for.
      if (storedAtRequest.length === 2) sim.denyRace(raceId);
    });
    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary.outcomes).toEqual([expect.objectContaining({ status: 'partial', records: pageSize, errorCode: 'access_denied' })]);
    expect(storedAtRequest).toHaveLength(2);
    expect(stored()).toBe(pageSize);
    expect(history()).toEqual([{ status: 'partial', records_processed: pageSize }]);
    expect(cursor()).toBeNull();
  });

  it('a cancel while a page is stored keeps that page, ends the page ahead and asks for no more', async () => {
    const cancel = new AbortController();
    sim.arrivals.push(() => {
      if (storedAtRequest.length === 2) cancel.abort();
    });
    const summary = await runSync(core, { provider: 'runsignup', account: label, signal: cancel.signal });
    expect(summary.status).toBe('cancelled');
    expect(summary.outcomes).toEqual([expect.objectContaining({ status: 'partial', records: pageSize, errorCode: 'cancelled' })]);
    expect(storedAtRequest).toHaveLength(2);
    expect(stored()).toBe(pageSize);
    expect(cursor()).toBeNull();
  });
});
