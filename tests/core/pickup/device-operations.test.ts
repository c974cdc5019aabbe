import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import type { PickupChanged } from '../../../src-main/core/api/events.ts';
import { runners, seedVenue } from './seed.ts';

/* A joined device's queued operations, replayed when the station is back: each op id applies once. */
describe('device operations replayed by op id', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  const changes = () => (core.db.prepare("SELECT count(*) AS n FROM participant_changes WHERE kind = 'check_in'").get() as { n: number }).n;

  it('the same check-in op twice writes one check-in and answers the original result both times', async () => {
    const seen: PickupChanged[] = [];
    core.events.on('pickup.changed', (change) => seen.push(change));
    const op = { ...runners.ana, stationName: 'Tablet 3', opId: 'op-tablet3-0001' };
    const first = await call(core, 'pickup.checkIn', op);
    const again = await call(core, 'pickup.checkIn', op);
    expect(first).toMatchObject({ alreadyCheckedIn: false, by: 'Tablet 3' });
    expect(again).toMatchObject({ alreadyCheckedIn: false, by: 'Tablet 3', at: first.at, changeId: first.changeId });
    expect(again.counters.checkedIn).toBe(1);
    expect(changes()).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('an op replayed after another station checked the runner in reports who was first, and keeps saying so', async () => {
    const laptop = await call(core, 'pickup.checkIn', { ...runners.jose, stationName: 'Table 2' });
    const op = { ...runners.jose, stationName: 'Tablet 3', opId: 'op-tablet3-0002' };
    const replay = await call(core, 'pickup.checkIn', op);
    expect(replay).toMatchObject({ alreadyCheckedIn: true, by: 'Table 2', at: laptop.at, changeId: null });
    // The laptop undoes its check-in; the device's op, sent once more, still answers the conflict and writes nothing.
    await call(core, 'pickup.undoCheckIn', { ...runners.jose, checkInChangeId: laptop.changeId!, stationName: 'Table 2' });
    expect(await call(core, 'pickup.checkIn', op)).toMatchObject({ alreadyCheckedIn: true, by: 'Table 2', at: laptop.at });
    expect((await call(core, 'pickup.participant', runners.jose)).participant.checked_in).toBe(false);
    expect(changes()).toBe(1);
  });

  it('a bib change op applies once; one replayed after the bib was taken meanwhile reports the holder and changes nothing', async () => {
    const op = { ...runners.obrien, newBib: '77', stationName: 'Tablet 3', opId: 'op-tablet3-0003' };
    const first = await call(core, 'pickup.changeBib', op);
    expect(first).toMatchObject({ changed: true, oldBib: '12', newBib: '77' });
    // Sent again (the answer was lost): not "already has bib 77", the original answer.
    expect(await call(core, 'pickup.changeBib', op)).toEqual(first);

    await call(core, 'pickup.changeBib', { ...runners.jose, newBib: '88', stationName: 'Table 2' });
    const taken = await call(core, 'pickup.changeBib', { ...runners.ana, newBib: '88', stationName: 'Tablet 3', opId: 'op-tablet3-0004' });
    expect(taken).toMatchObject({ changed: false, takenBy: [{ participantId: '5002', firstName: 'José' }] });
    expect((await call(core, 'pickup.participant', runners.ana)).participant.bib_number).toBe('10');
  });

  it('refuses an op id reused for another kind of operation', async () => {
    await call(core, 'pickup.checkIn', { ...runners.ana, opId: 'op-shared-0005' });
    const reused = await dispatch(core, 'pickup.changeBib', { ...runners.ana, newBib: '99', opId: 'op-shared-0005' });
    expect(reused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('its own id') } });
  });

  it("gives a device its scope's runners with their bib and check-in", async () => {
    await call(core, 'pickup.checkIn', { ...runners.ana, stationName: 'Table 1' });
    const copy = await call(core, 'pickup.deviceCopy', { scope: [{ provider: 'runsignup', eventId: '101' }] });
    expect(copy.complete).toBe(true);
    expect(copy.rows.map((r) => r.participant_id).sort()).toEqual(['5001', '5002', '5003']);
    expect(copy.rows.find((r) => r.participant_id === '5001')).toMatchObject({ checked_in: true, checked_in_by: 'Table 1', event_name: 'City Run 2026 › 5K' });
  });
});
