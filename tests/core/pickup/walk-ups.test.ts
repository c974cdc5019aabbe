import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { seedVenue } from './seed.ts';

const walkUp = {
  provider: 'runsignup' as const,
  eventId: '101',
  firstName: 'Søren',
  lastName: 'Ærøskøbing',
  gender: 'M' as const,
  dateOfBirth: '1990-05-02',
  email: 'soren@example.com',
};

describe('walk-up registration', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  it('registers with the next free bib, checks in, is searchable at once and marked as a walk-up', async () => {
    await call(core, 'pickup.setBibRange', { provider: 'runsignup', eventId: '101', firstBib: 900, lastBib: 999 });
    const { participant, counters } = await call(core, 'pickup.registerWalkUp', { ...walkUp, stationName: 'Walk-up desk' });
    expect(participant).toMatchObject({
      source_provider: 'runsignup',
      event_id: '101',
      bib_number: '900',
      is_walk_up: true,
      checked_in: true,
      checked_in_by: 'Walk-up desk',
      age: 36,
      event_name: 'City Run 2026 › 5K',
    });
    expect(counters).toMatchObject({ registered: 4, checkedIn: 1, walkUps: 1 });

    const hits = (await call(core, 'lookup.search', { query: 'soren aeroskobing' })).rows;
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ participant_id: participant.participant_id, is_walk_up: 1, checked_in: 1, bib_number: '900' });
    expect((await call(core, 'lookup.search', { query: '900' })).rows[0].participant_id).toBe(participant.participant_id);
    expect((await call(core, 'pickup.nextFreeBib', { provider: 'runsignup', eventId: '101' })).bib).toBe('901');

    const trail = await call(core, 'pickup.auditTrail', { provider: 'runsignup', participantId: participant.participant_id });
    expect(trail.rows.map((r) => [r.kind, r.source_provider, r.first_name])).toEqual([
      ['check_in', 'local', 'Søren'],
      ['edit', 'local', 'Søren'],
      ['walk_up', 'local', 'Søren'],
    ]);
    const outbox = core.db.prepare(`SELECT table_name FROM hub_outbox WHERE table_name IN ('local_participants', 'participant_changes') ORDER BY seq`).all();
    expect(outbox).toEqual([{ table_name: 'local_participants' }, ...Array(3).fill({ table_name: 'participant_changes' })]);
  });

  it('accepts a typed bib, refuses a taken one unless confirmed, and writes nothing on refusal', async () => {
    const taken = await dispatch(core, 'pickup.registerWalkUp', { ...walkUp, bib: '11' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(taken.ok === false && taken.error.message).toContain('José García');
    expect(core.db.prepare('SELECT count(*) AS n FROM local_participants').get()).toEqual({ n: 0 });

    const typed = await call(core, 'pickup.registerWalkUp', { ...walkUp, bib: 'W1', checkIn: false });
    expect(typed.participant).toMatchObject({ bib_number: 'W1', checked_in: false });
  });

  it('asks for a bib when the event has no free walk-up range', async () => {
    const result = await dispatch(core, 'pickup.registerWalkUp', walkUp);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('changes a walk-up bib on its own row too', async () => {
    const { participant } = await call(core, 'pickup.registerWalkUp', { ...walkUp, bib: 'W1' });
    await call(core, 'pickup.changeBib', { provider: 'runsignup', participantId: participant.participant_id, newBib: 'W2' });
    expect(core.db.prepare('SELECT bib_number FROM local_participants').get()).toEqual({ bib_number: 'W2' });
    expect((await call(core, 'pickup.participant', { provider: 'runsignup', participantId: participant.participant_id })).participant.bib_number).toBe('W2');
  });

  it('names missing fields', async () => {
    const result = await dispatch(core, 'pickup.registerWalkUp', { ...walkUp, firstName: '', dateOfBirth: '02/05/1990' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toContain('firstName');
      expect(result.error.message).toContain('dateOfBirth');
    }
  });
});

describe('counters and audit trail', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  it('counts per event and in total', async () => {
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '5001' });
    await call(core, 'pickup.checkIn', { provider: 'chronotrack', participantId: 'E-1' });
    const all = await call(core, 'pickup.counters', {});
    expect(all.events.map((e) => [e.provider, e.eventId, e.registered, e.checkedIn])).toEqual([
      ['runsignup', '101', 3, 1],
      ['runsignup', '102', 1, 0],
      ['chronotrack', 'CT-9', 1, 1],
    ]);
    expect(all.total).toEqual({ registered: 5, checkedIn: 2, walkUps: 0 });
    expect((await call(core, 'pickup.counters', { provider: 'chronotrack' })).events).toHaveLength(1);
  });

  it('pages the audit trail newest first, filtered by station', async () => {
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '5001', stationName: 'A' });
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '5002', stationName: 'B' });
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '5003', stationName: 'A' });
    const page = await call(core, 'pickup.auditTrail', { stationName: 'A', limit: 1 });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.last_name)).toEqual(["O'Brien"]);
    const next = await call(core, 'pickup.auditTrail', { stationName: 'A', limit: 1, offset: 1 });
    expect(next.rows.map((r) => r.last_name)).toEqual(['Núñez']);
  });
});
