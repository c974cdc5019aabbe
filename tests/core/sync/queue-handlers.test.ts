import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';

/* The queue through the API contract, as the renderer, the station server and the CLI call it. */
const key = { api_key: 'rsu-handlers-key', api_secret: 'rsu-handlers-secret' };
let sim: RunSignUpSimulator;
let core: TestCore;
const dataset = makeRunSignUpDataset({ seed: 8, races: 1, eventsPerRace: 2, participantsPerEvent: 15 });

beforeEach(async () => {
  sim = await startRunSignUpSimulator({ dataset: structuredClone(dataset), credentials: [key] });
  core = createTestCore();
  await call(core, 'accounts.add', { provider: 'runsignup', label: 'Main', baseUrl: sim.url, secret: key });
});
afterEach(async () => {
  core.cleanup();
  await sim.close();
});

describe('sync queue handlers', () => {
  it('syncs now through the queue and leaves the jobs and their history to inspect', async () => {
    const summary = await call(core, 'queue.sync', { provider: 'runsignup', account: 'Main' });
    expect(summary).toMatchObject({ status: 'success', eventsListed: 2 });
    expect(summary.outcomes.map((o) => [o.kind, o.status, o.records])).toEqual([
      ['participants', 'success', 15],
      ['participants', 'success', 15],
    ]);
    expect(summary.jobs).toEqual([expect.objectContaining({ status: 'completed', priority: 1, eventId: null, recordsProcessed: 30 })]);

    const jobId = summary.jobs[0].id;
    const history = await call(core, 'history.list', { jobId });
    expect(history.map((h) => [h.syncType, h.status, h.records])).toEqual([
      ['participants', 'success', 15],
      ['participants', 'success', 15],
      ['events', 'success', 2],
    ]);
    expect((await call(core, 'queue.list', {})).jobs).toEqual([]);
    expect((await call(core, 'queue.list', { statuses: ['completed'] })).jobs.map((j) => j.id)).toEqual([jobId]);
  });

  it('reports an unreachable provider and keeps the job waiting for it', async () => {
    await sim.close();
    const summary = await call(core, 'queue.sync', { provider: 'runsignup', account: 'Main', events: [String(dataset.races[0].race.race_id)] });
    expect(summary.status).toBe('failed');
    expect(summary.jobs[0]).toMatchObject({ status: 'pending', retryCount: 0, lastErrorCode: 'network_error' });
    const queue = await call(core, 'queue.list', {});
    expect(queue.pauses).toEqual([expect.objectContaining({ provider: 'runsignup', failures: 1 })]);
    sim = await startRunSignUpSimulator({ dataset: structuredClone(dataset), credentials: [key] });
  });

  it('fails at once for an event the account does not see, and says so in the history', async () => {
    const summary = await call(core, 'queue.sync', { provider: 'runsignup', account: 'Main', events: ['999'] });
    expect(summary.status).toBe('failed');
    expect(summary.jobs[0]).toMatchObject({ status: 'failed', lastErrorCode: 'not_found', lastError: expect.stringMatching(/no event or race with id 999/) });
    const history = await call(core, 'history.list', { jobId: summary.jobs[0].id });
    expect(history.map((h) => [h.syncType, h.status])).toEqual([
      ['participants', 'failed'],
      ['events', 'success'],
    ]);
    expect(history[0].error).toMatch(/no event or race with id 999/);
  });

  it('queues, cancels and retries jobs, with clear errors for bad requests', async () => {
    const job = await call(core, 'queue.enqueue', { provider: 'runsignup', account: 'Main', eventId: '42' });
    expect(job).toMatchObject({ status: 'pending', priority: 5, eventId: '42', syncType: 'participants' });
    expect((await call(core, 'queue.cancel', { id: job.id })).status).toBe('cancelled');
    expect((await call(core, 'queue.retry', { id: job.id })).status).toBe('pending');

    const unknownAccount = await dispatch(core, 'queue.enqueue', { provider: 'runsignup', account: 'Nobody' });
    expect(unknownAccount).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/No runsignup account labelled "Nobody"/) } });
    expect(await dispatch(core, 'queue.cancel', { id: 9999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dispatch(core, 'queue.enqueue', { provider: 'runsignup', account: 'Main', syncType: 'splits' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/syncType/) },
    });
  });

  it('keeps an event fresh, taking the race day from the stored event', async () => {
    await call(core, 'queue.sync', { provider: 'runsignup', account: 'Main' });
    const event = core.db.prepare(`SELECT event_id, substr(event_date, 1, 10) AS day FROM unified_events LIMIT 1`).get() as {
      event_id: string;
      day: string;
    };
    const watch = await call(core, 'scheduler.watch', { provider: 'runsignup', account: 'Main', eventId: event.event_id, intervalMinutes: 30 });
    expect(watch).toMatchObject({ intervalMinutes: 30, raceDay: event.day, raceDayIntervalMinutes: 5, syncType: 'participants' });
    expect(await call(core, 'scheduler.watches', {})).toHaveLength(1);
    expect(await dispatch(core, 'scheduler.watch', { provider: 'runsignup', account: 'Main', eventId: '1', intervalMinutes: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await call(core, 'scheduler.unwatch', { provider: 'runsignup', account: 'Main', eventId: event.event_id });
    expect(await call(core, 'scheduler.watches', {})).toEqual([]);
  });
});
