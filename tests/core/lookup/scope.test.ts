import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { handlerAccess } from '../../../src-main/core/api/access.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { runners, seedVenue } from '../pickup/seed.ts';

/*
 * A pickup table serves some events: search, bib lookup and counters see only those. The seed has
 * bib 10 in both RunSignUp events (Ana in the 5K 101, Zoë in the 10K 102); a Haku event "101"
 * shares the 5K's id to show that a scope names the provider too.
 */
describe('event scope', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
    upsertRows(core.db, 'haku_events', ['event_id'], [{ event_id: '101', event_name: 'Trail 101', start_date: '2026-05-04' }]);
    upsertRows(core.db, 'haku_participants', ['event_id', 'participant_id'], [
      { participant_id: 'H-1', event_id: '101', first_name: 'Ana', last_name: 'Núñez-Vidal', bib_number: '10' },
    ]);
  });
  afterEach(() => core.cleanup());

  const fiveK = { provider: 'runsignup', eventId: '101' } as const;
  const tenK = { provider: 'runsignup', eventId: '102' } as const;

  it('a bib held in several events finds only the scoped event\'s runner', async () => {
    const everywhere = await call(core, 'lookup.search', { query: '10' });
    expect(everywhere.rows.map((r) => r.participant_id).sort()).toEqual(['101:H-1', '5001', '5004']);
    expect(everywhere).toMatchObject({ total: 3, totalExact: true });

    const scoped = await call(core, 'lookup.search', { query: '10', scope: [tenK] });
    expect(scoped.rows.map((r) => r.participant_id)).toEqual(['5004']);
    expect(scoped.total).toBe(1);
  });

  it('a name search stays in the scope, and several events can be served at once', async () => {
    expect((await call(core, 'lookup.search', { query: 'ana nunez' })).rows.map((r) => r.participant_id).sort()).toEqual(['101:H-1', '5001']);
    expect((await call(core, 'lookup.search', { query: 'ana nunez', scope: [fiveK] })).rows.map((r) => r.participant_id)).toEqual(['5001']);
    expect((await call(core, 'lookup.search', { query: 'nunez', scope: [{ provider: 'haku', eventId: '101' }] })).rows.map((r) => r.participant_id)).toEqual(['101:H-1']);
    expect((await call(core, 'lookup.search', { query: 'zoe', scope: [fiveK] })).rows).toEqual([]);
    expect((await call(core, 'lookup.search', { query: '10', scope: [fiveK, tenK] })).rows.map((r) => r.participant_id).sort()).toEqual(['5001', '5004']);
  });

  it('an event id without a provider is that id at any provider', async () => {
    const found = await call(core, 'lookup.search', { query: '10', scope: [{ eventId: '101' }] });
    expect(found.rows.map((r) => r.participant_id).sort()).toEqual(['101:H-1', '5001']);
  });

  it('counters count only the scoped events, and their total', async () => {
    await call(core, 'pickup.checkIn', { ...runners.tenK, stationName: 'T1' });
    const all = await call(core, 'pickup.counters', {});
    expect(all.total).toMatchObject({ registered: 6, checkedIn: 1 });
    const scoped = await call(core, 'pickup.counters', { scope: [tenK] });
    expect(scoped.events.map((e) => `${e.provider}:${e.eventId}`)).toEqual(['runsignup:102']);
    expect(scoped.total).toMatchObject({ registered: 1, checkedIn: 1 });
    const fiveKOnly = await call(core, 'pickup.counters', { scope: [fiveK] });
    expect(fiveKOnly.total).toMatchObject({ registered: 3, checkedIn: 0 });
  });

  it('the station keeps its own scope in its settings; only the laptop itself may change it', async () => {
    expect(await call(core, 'lookup.stationScope', {})).toEqual([]);
    expect(await call(core, 'lookup.setStationScope', { scope: [tenK] })).toEqual([tenK]);
    expect(await call(core, 'lookup.stationScope', {})).toEqual([tenK]);
    expect(core.settings.read().pickupScope).toEqual([tenK]);
    expect(handlerAccess['lookup.setStationScope']).toBe('local');
    expect(handlerAccess['lookup.stationScope']).toBe('venue');
    expect(await dispatch(core, 'lookup.setStationScope', { scope: [{ eventId: '101' }] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
