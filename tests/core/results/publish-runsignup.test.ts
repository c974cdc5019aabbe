import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, type TestCore } from '../../helpers/core.ts';
import { coreWithAccount } from '../../helpers/provider-session.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import type { RunSignUpParticipantRecord } from '../../../src-main/datasets/runsignup.ts';
import { runSync } from '../../../src-main/core/sync/run-sync.ts';
import { seedChronoTrackDay, ctEventId } from './races-seed.ts';

/*
 * Publishing through the real core, SQLite and OS keychain (run inside scripts/with-keychain.js)
 * to the RunSignUp simulator: an event synced from it, a finish file imported, then published.
 */
const key = { api_key: 'rsu-timer-key', api_secret: 'rsu-timer-secret' };
const label = 'Timer account';

let sim: RunSignUpSimulator;
let core: TestCore;
let eventId: string;
let runners: RunSignUpParticipantRecord[];

beforeEach(async () => {
  const dataset = makeRunSignUpDataset({ seed: 8, races: 1, eventsPerRace: 1, participantsPerEvent: 12 });
  sim = await startRunSignUpSimulator({ dataset, credentials: [key] });
  eventId = String(sim.dataset.races[0].events[0].event_id);
  core = await coreWithAccount({ provider: 'runsignup', label, baseUrl: sim.url, secret: key, unlimitedRate: true });
  await runSync(core, { provider: 'runsignup', account: label });
  runners = sim.dataset.participants.filter((p) => p.bib_num !== null).slice(0, 5);
});
afterEach(async () => {
  core.cleanup();
  await sim.close();
});

/** Five registered runners: three finish (bib order = place order), one DNF, one DQ. */
function finishFile(firstChip = '20:01.5'): string {
  const [a, b, c, d, e] = runners.map((r) => r.bib_num);
  return ['Bib,Chip Time,Gun Time,Status', `${a},${firstChip},20:05.0,`, `${b},21:10.25,21:12.0,`, `${c},22:00,22:30,`, `${d},,,DNF`, `${e},,,DQ`].join('\n');
}

const importFile = (content: string) => call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content });
const publish = () => call(core, 'results.publish', { event: eventId });
const rowsOf = (setIndex = 0) => sim.resultSets()[setIndex].results.map(({ registration_id, place, clock_time, chip_time }) => ({ registration_id, place, clock_time, chip_time }));

describe('results.publish to RunSignUp', () => {
  it('creates one result set with the placed finishers and the DNF and DQ, matched by registration id', async () => {
    await importFile(finishFile());
    const progress: Array<{ sent: number; total: number }> = [];
    const stop = core.events.on('results.publishProgress', (p) => progress.push({ sent: p.sent, total: p.total }));
    const summary = await publish();
    stop();
    expect(summary).toMatchObject({ replaced: false, rows: 5, accepted: 5, rejected: [], notPlaced: 0 });
    expect(sim.resultSets()).toHaveLength(1);
    expect(sim.resultSets()[0]).toMatchObject({ individual_result_set_id: Number(summary.resultSetId), event_id: Number(eventId), public_results: 'T' });
    const [a, b, c, d, e] = runners.map((r) => r.registration_id);
    expect(rowsOf()).toEqual([
      { registration_id: a, place: 1, clock_time: '0:20:05.000', chip_time: '0:20:01.500' },
      { registration_id: b, place: 2, clock_time: '0:21:12.000', chip_time: '0:21:10.250' },
      { registration_id: c, place: 3, clock_time: '0:22:30.000', chip_time: '0:22:00.000' },
      { registration_id: d, place: null, clock_time: 'DNF', chip_time: 'DNF' },
      { registration_id: e, place: null, clock_time: 'DQ', chip_time: 'DQ' },
    ]);
    // Registrations without a result are not posted; the calls carry the event and a JSON request.
    const posts = sim.requests.filter((r) => r.method === 'POST').map((r) => r.path.replace(/^.*\/results\//, ''));
    expect(posts).toEqual(['new-result-set', 'full-results']);
    expect(progress).toEqual([{ sent: 0, total: 5 }, { sent: 5, total: 5 }]);
    expect(core.db.prepare('SELECT result_set_id, account, rows_accepted, rows_rejected FROM runsignup_result_sets').all()).toEqual([
      { result_set_id: summary.resultSetId, account: label, rows_accepted: 5, rows_rejected: 0 },
    ]);
  });

  it('re-publishing clears and refills the same result set: never a second set, never a runner twice', async () => {
    await importFile(finishFile());
    const first = await publish();
    await importFile(finishFile('19:58.0'));
    const second = await publish();
    expect(second).toMatchObject({ resultSetId: first.resultSetId, replaced: true, accepted: 5 });
    expect(sim.resultSets()).toHaveLength(1);
    expect(rowsOf()).toHaveLength(5);
    expect(rowsOf()[0]).toMatchObject({ registration_id: runners[0].registration_id, chip_time: '0:19:58.000' });
    const posts = sim.requests.filter((r) => r.method === 'POST').map((r) => r.path.replace(/^.*\/results\//, ''));
    expect(posts).toEqual(['new-result-set', 'full-results', 'clear-results', 'full-results']);
  });

  it('a publish cut off after the set was made still re-publishes into that set', async () => {
    await importFile(finishFile());
    sim.faults.pathFilter = /full-results/;
    sim.faults.serverErrorNext = 10;
    const cut = await dispatch(core, 'results.publish', { event: eventId });
    expect(cut.ok || cut.error.code).toBe('provider_error');
    expect(sim.resultSets()).toHaveLength(1);
    sim.faults.serverErrorNext = 0;
    const again = await publish();
    expect(again).toMatchObject({ replaced: true, accepted: 5, resultSetId: String(sim.resultSets()[0].individual_result_set_id) });
    expect(sim.resultSets()).toHaveLength(1);
    expect(rowsOf()).toHaveLength(5);
  });

  it('refuses a second publish of the event while one is running, so two presses make one set', async () => {
    await importFile(finishFile());
    const [one, two] = await Promise.all([dispatch(core, 'results.publish', { event: eventId }), dispatch(core, 'results.publish', { event: eventId })]);
    expect(one.ok).toBe(true);
    expect(two.ok || two.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/is being published to RunSignUp right now/) });
    expect(sim.resultSets()).toHaveLength(1);
    expect(await publish()).toMatchObject({ replaced: true });
  });

  it('makes a new set when the director deleted the one published before, and remembers that one', async () => {
    await importFile(finishFile());
    const first = await publish();
    sim.deleteResultSet(Number(first.resultSetId));
    const second = await publish();
    expect(second).toMatchObject({ replaced: false, accepted: 5 });
    expect(second.resultSetId).not.toBe(first.resultSetId);
    expect(sim.resultSets().map((set) => set.individual_result_set_id)).toEqual([Number(second.resultSetId)]);
    expect(await publish()).toMatchObject({ replaced: true, resultSetId: second.resultSetId });
    expect(sim.resultSets()).toHaveLength(1);
  });

  it('publishes every other row and names each one RunSignUp refused', async () => {
    await importFile(finishFile());
    // A walk-up RunSignUp never heard of finishes second: matched by bib, which RunSignUp does not know.
    await call(core, 'pickup.registerWalkUp', { provider: 'runsignup', eventId, firstName: 'Zoë', lastName: 'Late', gender: 'F', dateOfBirth: '1990-01-01', bib: '9999' });
    await call(core, 'results.accept', { event: eventId, fileName: 'late.csv', content: 'Bib,Chip Time,Gun Time\n9999,20:30,20:31\n' });
    const summary = await publish();
    expect(summary).toMatchObject({ rows: 6, accepted: 5 });
    expect(summary.rejected).toEqual([{ label: 'bib 9999 (Zoë Late)', message: 'RunSignUp refused bib 9999 (Zoë Late): First name is required (error 104).' }]);
    expect(rowsOf().map((row) => row.registration_id)).toEqual(runners.map((r) => r.registration_id));
    expect(core.db.prepare('SELECT rows_accepted, rows_rejected FROM runsignup_result_sets').get()).toEqual({ rows_accepted: 5, rows_rejected: 1 });
  });

  it('sends only placed results: a finisher without a time is left out and counted', async () => {
    // The sixth runner is said to have finished, but the file has no time for them: no place.
    const sixth = sim.dataset.participants.filter((p) => p.bib_num !== null)[5];
    await importFile(`${finishFile()}\n${sixth.bib_num},,,FIN`);
    const summary = await publish();
    expect(summary).toMatchObject({ rows: 5, accepted: 5, notPlaced: 1, rejected: [] });
    expect(rowsOf().map((row) => row.registration_id)).not.toContain(sixth.registration_id);
  });

  it('refuses an event with nothing placed, and an event of another provider, saying why', async () => {
    const empty = await dispatch(core, 'results.publish', { event: eventId });
    expect(empty.ok || empty.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/has no placed results to publish\. Import the timing file first/) });
    seedChronoTrackDay(core.db);
    const other = await dispatch(core, 'results.publish', { event: ctEventId });
    expect(other.ok || other.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^Harbor Run Day is a ChronoTrack event\. Results are published only to RunSignUp events/) });
    expect(sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
