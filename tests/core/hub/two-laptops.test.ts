import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { coreWithAccount } from '../../helpers/provider-session.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner, type NewPartner } from '../../../src-main/core/hub/partners.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { loginUrl } from './hub-test-kit.ts';

/*
 * Issue 19's "done when", through the handlers a crew uses: two laptops (two data folders, two
 * keychain services) on one real hub. Laptop one has the RunSignUp account; laptop two only the
 * partner's hub login. Uses the real OS keychain: run inside scripts/with-keychain.js.
 */
const key = { api_key: 'rsu-two-laptops-key', api_secret: 'rsu-two-laptops-secret' };

let server: TestPostgres;
let sim: RunSignUpSimulator;
beforeAll(async () => {
  server = await startTestPostgres();
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 19, races: 1, eventsPerRace: 2, participantsPerEvent: 8 }), credentials: [key] });
});
afterAll(async () => {
  await sim?.close();
  await server?.stop();
});

const cores: TestCore[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.cleanup();
});

interface Partner {
  adminUrl: string;
  partner: NewPartner;
  name: string;
}

async function hubPartner(name: string, adminUrl?: string): Promise<Partner> {
  const url = adminUrl ?? (await server.createDatabase());
  if (!adminUrl) await migrateHub({ url });
  return { adminUrl: url, partner: await addPartner({ url }, name), name };
}

/** The partner's hub login saved the way a crew does it (hub.set moves the password into the keychain). */
async function joinHub(core: TestCore, hub: Partner): Promise<TestCore> {
  await call(core, 'partner.set', { id: hub.partner.timing_partner_id, name: hub.name });
  await call(core, 'hub.set', { url: loginUrl(hub.adminUrl, hub.partner.role, hub.partner.password) });
  return core;
}

async function providerLaptop(hub: Partner): Promise<TestCore> {
  const core = await coreWithAccount({
    provider: 'runsignup',
    label: 'main',
    baseUrl: sim.url,
    secret: key,
    partner: { id: hub.partner.timing_partner_id, name: hub.name },
    unlimitedRate: true,
  });
  cores.push(core);
  return joinHub(core, hub);
}

async function hubOnlyLaptop(hub: Partner): Promise<TestCore> {
  const core = createTestCore();
  cores.push(core);
  return joinHub(core, hub);
}

const runner = (index: number) => {
  const p = sim.dataset.participants[index];
  return { provider: 'runsignup' as const, participantId: String(p.registration_id), name: `${p.user.first_name as string} ${p.user.last_name as string}` };
};
const ref = ({ provider, participantId }: { provider: 'runsignup'; participantId: string }) => ({ provider, participantId });

describe('two laptops, one hub', () => {
  it('a laptop with only the hub login runs pickup from what it pulled, and each laptop sees the other’s check-ins', async () => {
    const hub = await hubPartner('Acme Timing');
    const one = await providerLaptop(hub);
    expect(await call(one, 'sync.run', { provider: 'runsignup', account: 'main' })).toMatchObject({ status: 'success' });
    const [ana, ben, cal, dee] = [0, 1, 2, 3].map(runner);
    await call(one, 'pickup.checkIn', { ...ref(ana), stationName: 'North tent' });
    await call(one, 'pickup.checkIn', { ...ref(ben), stationName: 'North tent' });
    expect(await call(one, 'hub.push', {})).toMatchObject({ pending: 0 });

    const two = await hubOnlyLaptop(hub);
    expect(await call(two, 'accounts.list', {})).toEqual([]);
    const pulled = await call(two, 'hub.pull', {});
    expect(pulled.rows).toBeGreaterThan(sim.dataset.participants.length);
    expect((await call(two, 'hub.status', {})).pendingChanges).toBe(0);

    const found = await call(two, 'lookup.search', { query: ana.name });
    expect(found.rows.map((r) => r.participant_id)).toContain(ana.participantId);
    // Every runner of every event, counted as the pickup screen counts them, the same as on laptop one.
    const counted = await call(two, 'pickup.counters', {});
    expect(counted.total).toEqual({ registered: sim.dataset.participants.length, checkedIn: 2, walkUps: 0 });
    expect(counted).toEqual(await call(one, 'pickup.counters', {}));
    for (const checkedIn of [ana, ben]) {
      const card = await call(two, 'pickup.participant', ref(checkedIn));
      expect(card.participant).toMatchObject({ checked_in: true, checked_in_by: 'North tent' });
      expect(card.history.map((h) => [h.kind, h.station_name])).toEqual([['check_in', 'North tent']]);
    }
    // Checked in on laptop one already: laptop two says so instead of checking in again.
    expect(await call(two, 'pickup.checkIn', { ...ref(ana), stationName: 'South tent' })).toMatchObject({ alreadyCheckedIn: true, by: 'North tent' });

    // Laptop two checks a third runner in and registers a walk-up; both tents check Dee in before either has pushed.
    await call(two, 'pickup.checkIn', { ...ref(cal), stationName: 'South tent' });
    const eventId = String(sim.dataset.races[0].events[0].event_id);
    const walkUp = await call(two, 'pickup.registerWalkUp', {
      provider: 'runsignup',
      eventId,
      firstName: 'Wanda',
      lastName: 'Walkup',
      gender: 'F',
      dateOfBirth: '1991-04-05',
      bib: '9999',
      shirtSize: 'M',
      emergencyContactName: 'Walt Walkup',
      emergencyContactPhone: '555-0199',
      amountPaid: 35,
      paymentMethod: 'cash',
      waiverAccepted: true,
      stationName: 'South tent',
    });
    await call(two, 'pickup.changeBib', { ...ref(ben), newBib: '8888', stationName: 'South tent' });
    await call(one, 'pickup.checkIn', { ...ref(dee), stationName: 'North tent' });
    await call(two, 'pickup.checkIn', { ...ref(dee), stationName: 'South tent' });
    expect(await call(two, 'hub.push', {})).toMatchObject({ pending: 0 });
    expect(await call(one, 'hub.push', {})).toMatchObject({ pending: 0 });

    await call(one, 'hub.pull', {});
    await call(two, 'hub.pull', {});
    expect((await call(one, 'pickup.participant', ref(cal))).participant).toMatchObject({ checked_in: true, checked_in_by: 'South tent' });
    const walkUpOnOne = await call(one, 'pickup.participant', { provider: 'runsignup', participantId: walkUp.participant.participant_id });
    expect(walkUpOnOne.participant).toMatchObject({ first_name: 'Wanda', last_name: 'Walkup', bib_number: '9999', is_walk_up: true, checked_in: true });
    // The card laptop one shows is the one laptop two made: registration details included.
    const walkUpOnTwo = await call(two, 'pickup.participant', { provider: 'runsignup', participantId: walkUp.participant.participant_id });
    expect(walkUpOnOne.fields).toEqual(walkUpOnTwo.fields);
    expect(walkUpOnOne.fields.map((f) => f.key)).toEqual(expect.arrayContaining(['shirt_size', 'emergency_contact', 'waiver', 'payment']));
    expect((await call(one, 'pickup.participant', ref(ben))).participant.bib_number).toBe('8888');
    expect((await call(one, 'lookup.search', { query: '8888' })).rows.map((r) => r.participant_id)).toEqual([ben.participantId]);
    expect((await call(one, 'lookup.search', { query: 'Wanda Walkup' })).rows.map((r) => r.participant_id)).toEqual([walkUp.participant.participant_id]);

    // Dee: one runner, checked in once on each laptop, both stations in the audit trail, the same state on both.
    for (const laptop of [one, two]) {
      const rows = (await call(laptop, 'lookup.search', { query: dee.name })).rows.filter((r) => r.participant_id === dee.participantId);
      expect(rows).toHaveLength(1);
      const trail = await call(laptop, 'pickup.auditTrail', { ...ref(dee) });
      expect(trail.rows.map((r) => r.station_name).sort()).toEqual(['North tent', 'South tent']);
      expect(trail.rows.map((r) => r.kind)).toEqual(['check_in', 'check_in']);
    }
    const deeOn = async (laptop: TestCore) => (await call(laptop, 'pickup.participant', ref(dee))).checkIn;
    expect(await deeOn(one)).toEqual(await deeOn(two));
    expect((await call(one, 'pickup.counters', {})).total).toEqual({ registered: sim.dataset.participants.length + 1, checkedIn: 5, walkUps: 1 });
    expect(await call(one, 'pickup.counters', {})).toEqual(await call(two, 'pickup.counters', {}));
    // Laptop one undoes the check-in laptop two made (asked first, as another station's): laptop two follows.
    const calOnOne = await call(one, 'pickup.participant', ref(cal));
    await call(one, 'pickup.undoCheckIn', { ...ref(cal), checkInChangeId: calOnOne.checkIn!.changeId, confirmOtherStation: true, stationName: 'North tent' });
    await call(one, 'hub.push', {});
    await call(two, 'hub.pull', {});
    const calOnTwo = await call(two, 'pickup.participant', ref(cal));
    expect(calOnTwo.participant.checked_in).toBe(false);
    expect(calOnTwo.history.map((h) => [h.kind, h.station_name])).toEqual([
      ['undo_check_in', 'North tent'],
      ['check_in', 'South tent'],
    ]);
    // Nothing pulled went back out, and a second pull brings nothing new.
    for (const laptop of [one, two]) {
      expect((await call(laptop, 'hub.status', {})).pendingChanges).toBe(0);
      expect(await call(laptop, 'hub.pull', {})).toEqual({ batches: 0, rows: 0, keptLocal: 0 });
    }
  });

  it('results imported on the laptop with only the hub login reach the laptop with the account', async () => {
    const hub = await hubPartner('Acme Timing');
    const one = await providerLaptop(hub);
    await call(one, 'sync.run', { provider: 'runsignup', account: 'main' });
    await call(one, 'hub.push', {});
    const two = await hubOnlyLaptop(hub);
    await call(two, 'hub.pull', {});

    const eventId = String(sim.dataset.races[0].events[0].event_id);
    const finishers = sim.dataset.participants.filter((p) => String(p.event_id) === eventId).slice(0, 3);
    const bibs = await Promise.all(finishers.map(async (p) => (await call(two, 'pickup.participant', { provider: 'runsignup', participantId: String(p.registration_id) })).participant.bib_number));
    const file = ['Bib,Chip Time,Gun Time', ...bibs.map((bib, i) => `${bib},40:1${i},40:3${i}`)].join('\n');
    expect(await call(two, 'results.accept', { event: eventId, provider: 'runsignup', fileName: 'finish.csv', content: file, stationName: 'Finish line' })).toMatchObject({
      written: 3,
      held: 0,
    });
    await call(two, 'hub.push', {});
    await call(one, 'hub.pull', {});

    const listed = async (laptop: TestCore) => (await call(laptop, 'results.list', { event: eventId, provider: 'runsignup' })).rows;
    const onOne = await listed(one);
    expect(onOne.map((r) => [r.participant_id, r.chip_time])).toEqual(finishers.map((p, i) => [String(p.registration_id), `40:1${i}`]));
    expect(onOne).toEqual(await listed(two));
  });

  it("a second partner's laptop on the same hub pulls nothing of the first", async () => {
    const hub = await hubPartner('Acme Timing');
    const one = await providerLaptop(hub);
    await call(one, 'sync.run', { provider: 'runsignup', account: 'main' });
    await call(one, 'pickup.checkIn', { ...ref(runner(0)), stationName: 'North tent' });
    await call(one, 'hub.push', {});

    const rival = await hubPartner('Rival Timing', hub.adminUrl);
    const theirs = await hubOnlyLaptop(rival);
    expect(await call(theirs, 'hub.pull', {})).toEqual({ batches: 0, rows: 0, keptLocal: 0 });
    expect(await call(theirs, 'lookup.search', { query: runner(0).name })).toMatchObject({ rows: [], total: 0 });
    expect((await call(theirs, 'pickup.counters', {})).total).toEqual({ registered: 0, checkedIn: 0, walkUps: 0 });
    expect(await call(theirs, 'pickup.auditTrail', {})).toMatchObject({ rows: [], total: 0 });
  });
});
