import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import type { PickupChanged } from '../../../src-main/core/api/events.ts';
import { runners, seedVenue } from './seed.ts';

describe('check-in', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  it('checks a runner in once, records who and when, counts it, and announces it', async () => {
    const seen: PickupChanged[] = [];
    core.events.on('pickup.changed', (change) => seen.push(change));

    const first = await call(core, 'pickup.checkIn', { ...runners.ana, stationName: 'Table 1' });
    expect(first.alreadyCheckedIn).toBe(false);
    expect(first.by).toBe('Table 1');
    expect(first.changeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.counters).toMatchObject({ provider: 'runsignup', eventId: '101', eventName: 'City Run 2026 › 5K', registered: 3, checkedIn: 1 });

    const second = await call(core, 'pickup.checkIn', { ...runners.ana, stationName: 'Table 2' });
    expect(second).toMatchObject({ alreadyCheckedIn: true, by: 'Table 1', at: first.at, changeId: null });
    expect(second.counters.checkedIn).toBe(1);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: 'check_in', provider: 'runsignup', eventId: '101', participantId: '5001', stationName: 'Table 1' });

    const card = await call(core, 'pickup.participant', runners.ana);
    expect(card.participant).toMatchObject({ checked_in: true, checked_in_by: 'Table 1', checked_in_at: first.at, first_name: 'Ana' });
    expect(card.history.map((h) => h.kind)).toEqual(['check_in']);
  });

  it('undo reverses the check-in, stays in the audit trail, and refuses when not checked in', async () => {
    const { changeId } = await call(core, 'pickup.checkIn', runners.jose);
    expect((await call(core, 'pickup.participant', runners.jose)).checkIn).toMatchObject({ changeId, stationName: 'Test station' });
    const undo = await call(core, 'pickup.undoCheckIn', { ...runners.jose, checkInChangeId: changeId! });
    expect(undo).toMatchObject({ undone: true, checkIn: { changeId, stationName: 'Test station' } });
    expect(undo.counters.checkedIn).toBe(0);
    const card = await call(core, 'pickup.participant', runners.jose);
    expect(card.participant.checked_in).toBe(false);
    expect(card.checkIn).toBeNull();
    // Newest first, and the undo is later than the check-in even within one millisecond.
    expect(card.history.map((h) => h.kind)).toEqual(['undo_check_in', 'check_in']);
    expect(card.history[0].changed_at > card.history[1].changed_at).toBe(true);

    const again = await dispatch(core, 'pickup.undoCheckIn', { ...runners.jose, checkInChangeId: changeId! });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await call(core, 'pickup.checkIn', runners.jose)).alreadyCheckedIn).toBe(false);
  });

  it("undoes only the check-in it names: another runner's or a stale one is refused and nothing changes", async () => {
    const ana = await call(core, 'pickup.checkIn', { ...runners.ana, stationName: 'Table 1' });
    const jose = await call(core, 'pickup.checkIn', { ...runners.jose, stationName: 'Table 1' });

    // Ana's check-in id sent with José's card: refused, both stay checked in.
    const wrong = await dispatch(core, 'pickup.undoCheckIn', { ...runners.jose, checkInChangeId: ana.changeId!, stationName: 'Table 1' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(wrong.ok === false && wrong.error.message).toContain('José García');
    // A card opened before an undo and a new check-in elsewhere still shows the old check-in.
    await call(core, 'pickup.undoCheckIn', { ...runners.ana, checkInChangeId: ana.changeId!, stationName: 'Table 1' });
    await call(core, 'pickup.checkIn', { ...runners.ana, stationName: 'Table 1' });
    const stale = await dispatch(core, 'pickup.undoCheckIn', { ...runners.ana, checkInChangeId: ana.changeId!, stationName: 'Table 1' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });

    expect((await call(core, 'pickup.participant', runners.jose)).checkIn?.changeId).toBe(jose.changeId);
    expect((await call(core, 'pickup.participant', runners.ana)).participant.checked_in).toBe(true);
    expect(core.db.prepare(`SELECT count(*) AS n FROM participant_changes WHERE kind = 'undo_check_in'`).get()).toEqual({ n: 1 });
    expect(await dispatch(core, 'pickup.undoCheckIn', runners.jose)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it("asks before undoing another station's check-in: nothing is written until the caller confirms", async () => {
    const seen: PickupChanged[] = [];
    core.events.on('pickup.changed', (change) => seen.push(change));
    const made = await call(core, 'pickup.checkIn', { ...runners.obrien, stationName: 'Table 2' });
    seen.length = 0;

    const asked = await call(core, 'pickup.undoCheckIn', { ...runners.obrien, checkInChangeId: made.changeId!, stationName: 'Table 1' });
    expect(asked).toMatchObject({ undone: false, changeId: null, checkIn: { changeId: made.changeId, stationName: 'Table 2', at: made.at } });
    expect((await call(core, 'pickup.participant', runners.obrien)).participant.checked_in).toBe(true);
    expect(seen).toEqual([]);

    const confirmed = await call(core, 'pickup.undoCheckIn', {
      ...runners.obrien,
      checkInChangeId: made.changeId!,
      confirmOtherStation: true,
      stationName: 'Table 1',
    });
    expect(confirmed.undone).toBe(true);
    expect(seen.map((c) => [c.kind, c.stationName])).toEqual([['undo_check_in', 'Table 1']]);
    expect((await call(core, 'pickup.participant', runners.obrien)).participant.checked_in).toBe(false);
  });

  it('writes each change and its hub outbox entry together', async () => {
    const { changeId } = await call(core, 'pickup.checkIn', runners.obrien);
    const outbox = core.db.prepare(`SELECT row_key FROM hub_outbox WHERE table_name = 'participant_changes'`).all() as Array<{ row_key: string }>;
    expect(outbox.map((o) => JSON.parse(o.row_key))).toEqual([{ change_id: changeId }]);
    const row = core.db.prepare('SELECT * FROM participant_changes WHERE change_id = ?').get(changeId);
    expect(row).toMatchObject({ source_provider: 'runsignup', event_id: '101', participant_id: '5003', kind: 'check_in', station_name: 'Test station' });
  });

  it('names the problem for an unknown runner', async () => {
    const result = await dispatch(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '999' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(core.db.prepare('SELECT count(*) AS n FROM participant_changes').get()).toEqual({ n: 0 });
  });

  it('follows the newest change per runner, whatever order changes arrive in (changes pulled from other laptops)', () => {
    const insert = core.db.prepare(
      `INSERT INTO participant_changes (change_id, source_provider, event_id, participant_id, kind, station_name, changed_at)
       VALUES (?, 'runsignup', '101', '5001', ?, ?, ?)`,
    );
    insert.run('c', 'undo_check_in', 'Laptop B', '2026-05-02T07:00:02.000Z');
    insert.run('a', 'check_in', 'Laptop A', '2026-05-02T07:00:01.000Z');
    const state = () => core.db.prepare(`SELECT checked_in, checked_in_by FROM unified_participants WHERE participant_id = '5001'`).get();
    expect(state()).toEqual({ checked_in: 0, checked_in_by: null });
    insert.run('b', 'check_in', 'Laptop C', '2026-05-02T07:00:02.000Z'); // ties the undo but loses: 'b' < 'c'
    expect(state()).toEqual({ checked_in: 0, checked_in_by: null });
    insert.run('d', 'check_in', 'Laptop D', '2026-05-02T07:00:02.000Z'); // tie broken by change_id: 'd' > 'c'
    expect(state()).toEqual({ checked_in: 1, checked_in_by: 'Laptop D' });
  });
});
