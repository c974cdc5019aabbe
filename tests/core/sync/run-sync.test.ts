import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, type TestCore } from '../../helpers/core.ts';
import { coreWithAccount } from '../../helpers/provider-session.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { runSync, storeSliceRows } from '../../../src-main/core/sync/run-sync.ts';
import { syncThroughQueue } from '../../../src-main/core/sync/sync-through-queue.ts';

/*
 * The generic runner against a RunSignUp simulator that behaves like the service: /races lists
 * only current events (from start_date when given), throttling arrives as error 14 in an HTTP 200
 * body, a race can answer error 7, and some records carry values RaceDesk cannot read.
 */
const key = { api_key: 'rsu-run-sync-key', api_secret: 'rsu-run-sync-secret' };
const label = 'Timer account';
const day = 86_400_000;

describe('runSync against a RunSignUp that behaves like the real one', () => {
  let sim: RunSignUpSimulator;
  let core: TestCore;
  let raceId: number;
  let eventId: number;

  beforeEach(async () => {
    sim = await startRunSignUpSimulator({
      dataset: makeRunSignUpDataset({ seed: 31, races: 2, eventsPerRace: 1, participantsPerEvent: 30 }),
      credentials: [key],
    });
    raceId = sim.dataset.races[0].race.race_id;
    eventId = sim.dataset.races[0].events[0].event_id;
    core = await coreWithAccount({ provider: 'runsignup', label, baseUrl: sim.url, secret: key, unlimitedRate: true });
  });
  afterEach(async () => {
    core.cleanup();
    await sim.close();
  });

  const participant = (registrationId: number) =>
    core.db.prepare('SELECT bib_num, email FROM runsignup_participants WHERE registration_id = ?').get(registrationId);
  const count = (sql: string, ...params: unknown[]) => (core.db.prepare(sql).get(...params) as { n: number }).n;
  const runnerOf = (id: number) => sim.dataset.participants.find((p) => p.event_id === id)!;

  it('re-syncs a race after it left the listing, and picks up a changed runner', async () => {
    await runSync(core, { provider: 'runsignup', account: label });
    sim.moveRace(raceId, new Date(Date.now() - 60 * day));
    const runner = runnerOf(eventId);
    sim.updateParticipant(runner.registration_id, { bib_num: '777', user: { email: 'after.the.race@example.com' } });

    for (const wanted of [String(raceId), String(eventId)]) {
      const summary = await runSync(core, { provider: 'runsignup', account: label, events: [wanted], full: true });
      expect(summary.status).toBe('success');
      expect(summary.outcomes).toEqual([expect.objectContaining({ eventId: String(eventId), status: 'success', records: 30 })]);
    }
    expect(participant(runner.registration_id)).toEqual({ bib_num: '777', email: 'after.the.race@example.com' });
    expect(sim.requests.some((r) => r.path === `/Rest/race/${raceId}` && r.query.get('events') === 'T')).toBe(true);
  });

  it('stores a page in slices and lets the event loop run between them', async () => {
    const bigSim = await startRunSignUpSimulator({
      dataset: makeRunSignUpDataset({ seed: 32, races: 1, eventsPerRace: 1, participantsPerEvent: 2 * storeSliceRows + 50 }),
      credentials: [key],
    });
    const bigCore = await coreWithAccount({ provider: 'runsignup', label, baseUrl: bigSim.url, secret: key, unlimitedRate: true });
    let done = false;
    try {
      // What another caller on the host's event loop (a window, a venue device) sees while the one page is stored.
      const seen = new Set<number>();
      const watch = () => {
        if (done) return;
        seen.add((bigCore.db.prepare('SELECT count(*) AS n FROM runsignup_participants').get() as { n: number }).n);
        if (!done) setImmediate(watch);
      };
      watch();
      const summary = await runSync(bigCore, { provider: 'runsignup', account: label });
      done = true;
      expect(summary.outcomes).toEqual([expect.objectContaining({ status: 'success', records: 2 * storeSliceRows + 50 })]);
      expect([...seen].filter((n) => n > 0 && n < 2 * storeSliceRows + 50)).toEqual([storeSliceRows, 2 * storeSliceRows]);
      // Each slice's rows reach the search index and the outbox in their own transaction.
      expect(bigCore.db.prepare(`SELECT count(*) AS n FROM participant_search WHERE provider = 'runsignup'`).get()).toEqual({ n: 2 * storeSliceRows + 50 });
      expect(bigCore.db.prepare(`SELECT count(*) AS n FROM hub_outbox WHERE table_name = 'runsignup_participants'`).get()).toEqual({ n: 2 * storeSliceRows + 50 });
    } finally {
      done = true;
      bigCore.cleanup();
      await bigSim.close();
    }
  });

  it('syncs a race the account can read but never synced, by its id', async () => {
    sim.moveRace(raceId, new Date(Date.now() - 400 * day));
    const summary = await runSync(core, { provider: 'runsignup', account: label, events: [String(raceId)] });
    expect(summary.outcomes).toEqual([expect.objectContaining({ eventId: String(eventId), status: 'success', records: 30 })]);
    expect(count('SELECT count(*) AS n FROM runsignup_events WHERE event_id = ?', eventId)).toBe(1);
  });

  it('covers upcoming races and those of the last 30 days by default; the window is a setting', async () => {
    const other = sim.dataset.races[1];
    sim.moveRace(raceId, new Date(Date.now() - 10 * day));
    sim.moveRace(other.race.race_id, new Date(Date.now() - 60 * day));
    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary.outcomes.map((o) => o.eventId)).toEqual([String(eventId)]);
    const listing = sim.requests.find((r) => r.path === '/Rest/races' && r.query.get('events') === 'T')!;
    expect(listing.query.get('start_date')).toBe(new Date(Date.now() - 30 * day).toISOString().slice(0, 10));

    core.settings.write({ ...core.settings.read(), syncPastDays: 90 });
    const wider = await runSync(core, { provider: 'runsignup', account: label });
    expect(wider.outcomes.map((o) => o.eventId).sort()).toEqual([String(eventId), String(other.events[0].event_id)].sort());
  });

  it('keeps syncing a stored race of the window that the listing no longer shows, fetched by id', async () => {
    await runSync(core, { provider: 'runsignup', account: label });
    // The race was yesterday; the director renewed it, so a listing that starts today lacks it.
    sim.moveRace(raceId, new Date(Date.now() - day));
    const runner = runnerOf(eventId);
    sim.updateParticipant(runner.registration_id, { bib_num: '4321' });
    const summary = await runSync(core, { provider: 'runsignup', account: label, pastDays: 0 });
    expect(summary.outcomes.map((o) => [o.eventId, o.status])).toContainEqual([String(eventId), 'success']);
    expect(participant(runner.registration_id)).toMatchObject({ bib_num: '4321' });
  });

  it('backs off and retries RunSignUp’s throttle in an HTTP 200 body, storing every record and reporting the odd ones', async () => {
    sim.corruptPage(eventId, 1);
    sim.throttleNext = 3;
    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary.status).toBe('partial');
    expect(summary.outcomes.map((o) => [o.status, o.records, o.errorCode])).toEqual([
      ['partial', 30, null],
      ['success', 30, null],
    ]);
    expect(count('SELECT count(*) AS n FROM runsignup_participants')).toBe(60);
    const problems = core.db
      .prepare(
        `SELECT p.record_id, p.field, p.raw_value, p.skipped, h.status, h.error_message FROM sync_problems p
         JOIN sync_history h ON h.id = p.history_id ORDER BY p.id`,
      )
      .all() as Array<Record<string, unknown>>;
    expect(problems.map((p) => [p.field, p.raw_value, p.skipped, p.status])).toEqual([
      ['registration_date', '"2025-02-11T07:45:00-05:00"', 0, 'partial'],
      ['race_fee', '"CA$45.00"', 0, 'partial'],
    ]);
    expect(problems[0].error_message).toBe('1 record had unreadable fields (stored as NULL); see the problems listed with this run.');
    const odd = problems[0].record_id as string;
    expect(core.db.prepare('SELECT race_fee, registration_date, last_name FROM runsignup_participants WHERE registration_id = ?').get(Number(odd))).toMatchObject({
      race_fee: null,
      registration_date: null,
      last_name: expect.any(String),
    });
    // What the Sync page shows beside the run.
    const [shown] = (await call(core, 'history.list', { limit: 10 })).filter((row) => row.problemCount > 0);
    expect(shown).toMatchObject({ status: 'partial', eventId: String(eventId), problemCount: 2 });
    expect(shown.problems[1]).toEqual({ recordId: odd, field: 'race_fee', rawValue: '"CA$45.00"', problem: expect.stringContaining('race_fee'), skipped: false });
  });

  it('gives up with rate_limited when the throttle does not lift', async () => {
    sim.throttleNext = 1_000;
    const before = sim.requests.length;
    await expect(runSync(core, { provider: 'runsignup', account: label })).rejects.toMatchObject({ code: 'rate_limited' });
    // createTestCore's retry policy: 4 attempts.
    expect(sim.requests.slice(before).filter((r) => r.path === '/Rest/races')).toHaveLength(4);
  });

  it('fails only the race that answers permission denied (error 7); the others go on', async () => {
    sim.denyRace(raceId);
    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary.status).toBe('partial');
    expect(summary.outcomes.map((o) => [o.eventId, o.status, o.errorCode])).toEqual([
      [String(eventId), 'failed', 'access_denied'],
      [String(sim.dataset.races[1].events[0].event_id), 'success', null],
    ]);
    expect(summary.outcomes[0].error).toMatch(/does not let this account read the participants of event \d+ \(error 7: Permission Denied\)/);
  });

  it('completes the queue job of a run that only met odd records (nothing to retry), and says partial', async () => {
    sim.corruptPage(eventId, 1);
    const summary = await syncThroughQueue(core, { provider: 'runsignup', account: label });
    expect(summary.status).toBe('partial');
    expect(summary.jobs.map((j) => j.status)).toEqual(['completed']);
    expect(count('SELECT count(*) AS n FROM runsignup_participants')).toBe(60);
  });
});
