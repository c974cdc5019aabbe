import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { runners, seedVenue } from './seed.ts';

describe('bib change', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  it('reassigns a free bib, keeps the provider bib, and the lookup finds the new bib', async () => {
    const result = await call(core, 'pickup.changeBib', { ...runners.ana, newBib: '77', stationName: 'Table 3' });
    expect(result).toMatchObject({ changed: true, oldBib: '10', newBib: '77', takenBy: [] });
    const card = await call(core, 'pickup.participant', runners.ana);
    expect(card.participant).toMatchObject({ bib_number: '77', registered_bib: '10' });
    expect(card.history[0]).toMatchObject({ kind: 'bib_change', field: 'bib_number', old_value: '10', new_value: '77', station_name: 'Table 3' });
    const found = (await call(core, 'lookup.search', { query: '77' })).rows;
    expect(found.map((r) => r.participant_id)).toEqual(['5001']);
    expect((await call(core, 'lookup.search', { query: '10', scope: [{ provider: 'runsignup', eventId: '101' }] })).rows).toEqual([]);
  });

  it('warns when the bib is taken in the event, writes nothing, and proceeds when confirmed', async () => {
    const warned = await call(core, 'pickup.changeBib', { ...runners.ana, newBib: '11' });
    expect(warned).toMatchObject({ changed: false, changeId: null });
    expect(warned.takenBy).toEqual([{ provider: 'runsignup', participantId: '5002', firstName: 'José', lastName: 'García', bib: '11', isWalkUp: false }]);
    expect((await call(core, 'pickup.participant', runners.ana)).participant.bib_number).toBe('10');
    expect(core.db.prepare('SELECT count(*) AS n FROM participant_changes').get()).toEqual({ n: 0 });

    const confirmed = await call(core, 'pickup.changeBib', { ...runners.ana, newBib: '11', confirmTaken: true });
    expect(confirmed.changed).toBe(true);
    expect((await call(core, 'pickup.participant', runners.ana)).participant.bib_number).toBe('11');
  });

  it('treats bibs as unique per event only', async () => {
    // José holds 11 in the 5K; Zoë runs the 10K, where 11 is free.
    const other = await call(core, 'pickup.changeBib', { ...runners.tenK, newBib: '11' });
    expect(other).toMatchObject({ changed: true, takenBy: [] });
  });

  it('survives a re-sync of the runner', async () => {
    await call(core, 'pickup.changeBib', { ...runners.ana, newBib: '77' });
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], [{ registration_id: 5001, event_id: 101, race_id: 1, first_name: 'Ana', last_name: 'Núñez', bib_num: '10' }]);
    expect((await call(core, 'pickup.participant', runners.ana)).participant.bib_number).toBe('77');
    expect((await call(core, 'lookup.search', { query: '77' })).rows.map((r) => r.participant_id)).toEqual(['5001']);
  });

  it('refuses bad bibs with a clear message', async () => {
    const empty = await dispatch(core, 'pickup.changeBib', { ...runners.ana, newBib: '  ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const same = await dispatch(core, 'pickup.changeBib', { ...runners.ana, newBib: '10' });
    expect(same).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'This runner already has bib 10.' } });
  });
});

describe('walk-up bib ranges', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  it('suggests the lowest bib of the range nobody in the event holds', async () => {
    expect(await call(core, 'pickup.nextFreeBib', { provider: 'runsignup', eventId: '101' })).toEqual({ bib: null, range: null });
    const range = await call(core, 'pickup.setBibRange', { provider: 'runsignup', eventId: '101', firstBib: 11, lastBib: 14 });
    expect(range).toMatchObject({ firstBib: 11, lastBib: 14, free: 2, eventName: 'City Run 2026 › 5K' });
    expect((await call(core, 'pickup.nextFreeBib', { provider: 'runsignup', eventId: '101' })).bib).toBe('13');
    expect(await call(core, 'pickup.bibRanges', {})).toHaveLength(1);
  });

  it('refuses an inverted range and an unknown event', async () => {
    expect(await dispatch(core, 'pickup.setBibRange', { provider: 'runsignup', eventId: '101', firstBib: 20, lastBib: 10 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await dispatch(core, 'pickup.setBibRange', { provider: 'runsignup', eventId: '999', firstBib: 1, lastBib: 10 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
