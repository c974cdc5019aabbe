import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';

/*
 * Haku numbers registrations per event (field check §0 item 4), so two events can each hold a
 * runner R-1001. Each must be found, shown and checked in as its own runner.
 */
describe('Haku runners sharing a registration number across events', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    core.db.transaction(() => {
      upsertRows(core.db, 'haku_events', ['event_id'], [
        { event_id: 'aaaaaaaaaaaaaaaaaaaa', event_name: 'Riverfront 10K', start_date: '2026-05-02' },
        { event_id: 'bbbbbbbbbbbbbbbbbbbb', event_name: 'Lakefront Half', start_date: '2026-05-03' },
      ]);
      upsertRows(core.db, 'haku_participants', ['event_id', 'participant_id'], [
        { event_id: 'aaaaaaaaaaaaaaaaaaaa', participant_id: 'R-1001', first_name: 'Dana', last_name: 'Whitfield', bib_number: '1187' },
        { event_id: 'bbbbbbbbbbbbbbbbbbbb', participant_id: 'R-1001', first_name: 'Luis', last_name: 'Ortega', bib_number: '1188' },
      ]);
    })();
  });
  afterEach(() => core.cleanup());

  const find = async (query: string) => (await call(core, 'lookup.search', { query })).rows;

  it('finds both runners by bib and by name, each with its own card, and checks in only the one asked for', async () => {
    const [dana] = await find('1187');
    const [luis] = await find('1188');
    expect(dana).toMatchObject({ first_name: 'Dana', event_id: 'aaaaaaaaaaaaaaaaaaaa' });
    expect(luis).toMatchObject({ first_name: 'Luis', event_id: 'bbbbbbbbbbbbbbbbbbbb' });
    expect((await find('dana whitfield')).map((r) => r.first_name)).toEqual(['Dana']);
    expect((await find('luis ortega')).map((r) => r.first_name)).toEqual(['Luis']);
    expect(dana.participant_id).not.toBe(luis.participant_id);

    const danaRef = { provider: 'haku' as const, participantId: dana.participant_id };
    const luisRef = { provider: 'haku' as const, participantId: luis.participant_id };
    expect((await call(core, 'pickup.participant', danaRef)).participant).toMatchObject({ first_name: 'Dana', bib_number: '1187' });
    expect((await call(core, 'pickup.participant', luisRef)).participant).toMatchObject({ first_name: 'Luis', bib_number: '1188' });

    const checkIn = await call(core, 'pickup.checkIn', danaRef);
    expect(checkIn.counters).toMatchObject({ eventId: 'aaaaaaaaaaaaaaaaaaaa', checkedIn: 1 });
    expect((await call(core, 'pickup.participant', danaRef)).participant.checked_in).toBe(true);
    const other = await call(core, 'pickup.participant', luisRef);
    expect(other.participant.checked_in).toBe(false);
    expect(other.history).toEqual([]);

    await call(core, 'pickup.changeBib', { ...luisRef, newBib: '77' });
    expect((await call(core, 'pickup.participant', luisRef)).participant.bib_number).toBe('77');
    expect((await call(core, 'pickup.participant', danaRef)).participant.bib_number).toBe('1187');
  });
});
