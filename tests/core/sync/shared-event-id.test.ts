import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { demoRunSignUpCredential, startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';

/*
 * The store, like the hub, names an event by its provider and the provider's event id: two
 * accounts of one service that see an event see the same event. Two services (a second server,
 * a sandbox; here two simulators, whose races carry the same ids with other runners) can name two
 * different events by one id. Stored as one, the Sync card counted both events' runners under
 * each ("0 / 22 checked in" for events of 12) and runners whose ids collide were overwritten.
 */
describe('events of two accounts that share an id', () => {
  let core: TestCore;
  let north: RunSignUpSimulator;
  let south: RunSignUpSimulator;
  const shape = { races: 1, eventsPerRace: 2, participantsPerEvent: 12 };

  beforeAll(async () => {
    north = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 5, ...shape }) });
    south = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 88, ...shape }) });
    const ids = (sim: RunSignUpSimulator) => sim.dataset.races.flatMap((r) => r.events.map((e) => e.event_id));
    expect(ids(south)).toEqual(ids(north));
    core = createTestCore();
    await call(core, 'partner.set', { id: 1, name: 'Test Timing' });
    await call(core, 'accounts.add', { provider: 'runsignup', label: 'North', baseUrl: north.url, secret: { ...demoRunSignUpCredential } });
    await call(core, 'accounts.add', { provider: 'runsignup', label: 'North desk 2', baseUrl: north.url, secret: { ...demoRunSignUpCredential } });
    await call(core, 'accounts.add', { provider: 'runsignup', label: 'South', baseUrl: south.url, secret: { ...demoRunSignUpCredential } });
  }, 60_000);

  afterAll(async () => {
    await core?.cleanup();
    await north?.close();
    await south?.close();
  });

  const registrations = (sim: RunSignUpSimulator, eventId: number) =>
    sim.dataset.participants.filter((p) => p.event_id === eventId).map((p) => p.registration_id).sort();
  const stored = (eventId: number) =>
    (core.db.prepare('SELECT registration_id FROM runsignup_participants WHERE event_id = ? ORDER BY registration_id').pluck().all(eventId) as number[]);

  it('refuses the other service’s events, naming the account that holds them, and keeps the stored event’s runners as they were', async () => {
    expect((await call(core, 'sync.run', { provider: 'runsignup', account: 'North' })).status).toBe('success');
    const summary = await call(core, 'sync.run', { provider: 'runsignup', account: 'South' });
    expect(summary.status).toBe('failed');
    expect(summary.outcomes.map((o) => [o.eventId, o.errorCode])).toEqual([
      ['902311', 'conflict'],
      ['902312', 'conflict'],
    ]);
    expect(summary.outcomes[0].error).toMatch(/^RunSignUp event 902311 is already stored from the account "North", which reads another service/);
    expect(summary.outcomes[0].error).toContain('Nothing of it was stored');
    for (const event of north.dataset.races[0].events) expect(stored(event.event_id)).toEqual(registrations(north, event.event_id));
    const history = await call(core, 'history.list', { limit: 20 });
    expect(history.filter((h) => h.account === 'South' && h.eventId !== null).map((h) => h.status)).toEqual(['failed', 'failed']);
  });

  it('counts on the Sync card each event’s own runners, under the account that synced it', async () => {
    const { rows } = await call(core, 'browse.events', { limit: 100 });
    expect(rows.map((r) => [r.event_id, r.credentials_used, r.registered]).sort()).toEqual([
      ['902311', 'North', 12],
      ['902312', 'North', 12],
    ]);
    const counters = await call(core, 'pickup.counters', { provider: 'runsignup' });
    expect(counters.events.map((e) => e.registered)).toEqual([12, 12]);
  });

  it('lets a second account of the same service sync the same events, which stay the same events', async () => {
    expect((await call(core, 'sync.run', { provider: 'runsignup', account: 'North desk 2', full: true })).status).toBe('success');
    for (const event of north.dataset.races[0].events) expect(stored(event.event_id)).toEqual(registrations(north, event.event_id));
    const { rows } = await call(core, 'browse.events', { limit: 100 });
    expect(rows.map((r) => r.registered)).toEqual([12, 12]);
  });

  it('counts two providers’ events sharing an id apart, on the Sync card, in Pickup and in the status', async () => {
    core.db.transaction(() => {
      upsertRows(core.db, 'ct_events', ['event_id'], [{ event_id: '902311', event_name: 'Harbour 5K' }]);
      upsertRows(core.db, 'ct_participants', ['entry_id'], [
        { entry_id: 'E1', event_id: '902311', athlete_first_name: 'Ana', athlete_last_name: 'Ruiz', entry_bib: '5001' },
        { entry_id: 'E2', event_id: '902311', athlete_first_name: 'Bo', athlete_last_name: 'Lind', entry_bib: '5002' },
      ]);
    })();
    await call(core, 'pickup.checkIn', { provider: 'chronotrack', participantId: 'E1' });
    const { rows } = await call(core, 'browse.events', { limit: 100, filter: { search: '902311' } });
    expect(rows.map((r) => [r.source_provider, r.registered, r.checked_in]).sort()).toEqual([
      ['chronotrack', 2, 1],
      ['runsignup', 12, 0],
    ]);
    const counters = await call(core, 'pickup.counters', {});
    expect(counters.events.filter((e) => e.eventId === '902311').map((e) => [e.provider, e.registered, e.checkedIn]).sort()).toEqual([
      ['chronotrack', 2, 1],
      ['runsignup', 12, 0],
    ]);
    const status = await call(core, 'status.get', {});
    expect(status.events.filter((e) => e.event_id === '902311').map((e) => [e.source_provider, e.participants]).sort()).toEqual([
      ['chronotrack', 2],
      ['runsignup', 12],
    ]);
  });
});
