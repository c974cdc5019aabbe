import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { simulatorPreset, startCopernicoSimulator, type CopernicoSimulator } from '../../../src-main/simulators/copernico.ts';

/*
 * Copernico numbers athletes per race (GET /api/races/{race}/athlete/{id}); the simulator names a
 * late sign-up NEW<count of the race's athletes>, so two races of the same size each get a
 * NEW00012. Each must be found, shown, checked in and given a bib as its own runner.
 */
describe('Copernico athletes sharing an id across events', () => {
  let core: TestCore;
  let sim: CopernicoSimulator;
  const [first, second] = ['media-maraton-rio-verde-2026', 'trail-sierra-alta-2026'];

  beforeAll(async () => {
    sim = await startCopernicoSimulator({ athletesPerRace: 12 });
    const a = sim.addAthlete(first, '10K', { name: 'Dolores', surname: 'Quintanilla', events: [{ event: '10K', dorsal: 8801, category: 'Senior F', status: 'notstarted', times: {}, rankings: {} }] });
    const b = sim.addAthlete(second, 'Trail 25K', { name: 'Bartolomé', surname: 'Villaseñor', events: [{ event: 'Trail 25K', dorsal: 8802, category: 'Senior M', status: 'notstarted', times: {}, rankings: {} }] });
    expect(a.id).toBe(b.id);
    core = createTestCore();
    await call(core, 'partner.set', { id: 1, name: 'Test Timing' });
    await call(core, 'accounts.add', { provider: 'copernico', label: 'Cop', baseUrl: sim.url, secret: { ...sim.credentials, ...simulatorPreset } });
    expect((await call(core, 'sync.run', { provider: 'copernico', account: 'Cop' })).status).toBe('success');
  }, 60_000);

  afterAll(async () => {
    await core?.cleanup();
    await sim?.close();
  });

  const find = async (query: string) => (await call(core, 'lookup.search', { query })).rows;

  it('finds both athletes by bib and by name, each with its own card, and checks in and re-bibs only the one asked for', async () => {
    const [dolores] = await find('8801');
    const [bartolome] = await find('8802');
    expect(dolores).toMatchObject({ first_name: 'Dolores', event_id: `${first}:10K` });
    expect(bartolome).toMatchObject({ first_name: 'Bartolomé', event_id: `${second}:Trail 25K` });
    expect((await find('dolores quintanilla')).map((r) => r.first_name)).toEqual(['Dolores']);
    expect((await find('bartolome villasenor')).map((r) => r.first_name)).toEqual(['Bartolomé']);
    expect(dolores.participant_id).not.toBe(bartolome.participant_id);

    const doloresRef = { provider: 'copernico' as const, participantId: dolores.participant_id };
    const bartolomeRef = { provider: 'copernico' as const, participantId: bartolome.participant_id };
    expect((await call(core, 'pickup.participant', doloresRef)).participant).toMatchObject({ first_name: 'Dolores', bib_number: '8801' });
    expect((await call(core, 'pickup.participant', bartolomeRef)).participant).toMatchObject({ first_name: 'Bartolomé', bib_number: '8802' });

    const checkIn = await call(core, 'pickup.checkIn', doloresRef);
    expect(checkIn.counters).toMatchObject({ eventId: `${first}:10K`, checkedIn: 1 });
    expect((await call(core, 'pickup.participant', doloresRef)).participant.checked_in).toBe(true);
    const other = await call(core, 'pickup.participant', bartolomeRef);
    expect(other.participant.checked_in).toBe(false);
    expect(other.history).toEqual([]);
    const counters = await call(core, 'pickup.counters', {});
    expect(counters.events.find((e) => e.eventId === `${second}:Trail 25K`)).toMatchObject({ registered: 13, checkedIn: 0 });

    await call(core, 'pickup.changeBib', { ...bartolomeRef, newBib: '77' });
    expect((await call(core, 'pickup.participant', bartolomeRef)).participant.bib_number).toBe('77');
    expect((await call(core, 'pickup.participant', doloresRef)).participant.bib_number).toBe('8801');
  });

  it('keeps both athletes in the lookup index after a re-sync of one race', async () => {
    expect((await call(core, 'sync.run', { provider: 'copernico', account: 'Cop', full: true })).status).toBe('success');
    expect((await find('8801')).map((r) => r.first_name)).toEqual(['Dolores']);
    expect((await find('77')).map((r) => r.first_name)).toEqual(['Bartolomé']);
  });
});
