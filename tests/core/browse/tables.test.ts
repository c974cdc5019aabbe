import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { seedVenue } from '../pickup/seed.ts';

describe('browse tables', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  it('pages participants with a total, sorted on a whitelisted column, nulls last', async () => {
    const first = await call(core, 'browse.participants', { limit: 2, sort: { column: 'bib_number', direction: 'asc' } });
    expect(first.total).toBe(5);
    expect(first.rows.map((r) => r.bib_number)).toEqual(['10', '10']);
    const rest = await call(core, 'browse.participants', { offset: 2, limit: 10, sort: { column: 'bib_number', direction: 'asc' } });
    expect(rest.rows.map((r) => r.bib_number)).toEqual(['11', '12', '500']);
    const byName = await call(core, 'browse.participants', { sort: { column: 'last_name', direction: 'desc' } });
    expect(byName.rows.map((r) => r.last_name)).toEqual(['Wei', "O'Brien", 'Núñez', 'Müller', 'García']);
    expect(byName.rows[0]).toMatchObject({ source_provider: 'chronotrack', event_name: 'Harbour Half', is_walk_up: false, checked_in: false });
  });

  it('filters by provider, event, gender, check-in, walk-up and search', async () => {
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '5002' });
    await call(core, 'pickup.registerWalkUp', {
      provider: 'runsignup', eventId: '102', firstName: 'Eve', lastName: 'Walker', gender: 'F', dateOfBirth: '1999-01-01', bib: 'W1', checkIn: false,
    });
    const ids = async (filter: object) => (await call(core, 'browse.participants', { filter })).rows.map((r) => r.participant_id);
    expect(await ids({ provider: 'chronotrack' })).toEqual(['E-1']);
    expect(await ids({ eventId: '101', gender: 'M' })).toEqual(['5002', '5003']);
    expect(await ids({ checkedIn: true })).toEqual(['5002']);
    expect((await call(core, 'browse.participants', { filter: { walkUp: true } })).rows.map((r) => r.last_name)).toEqual(['Walker']);
    expect(await ids({ search: 'nunez' })).toEqual(['5001']);
    expect(await ids({ search: 'jose garc' })).toEqual(['5002']);
    expect(await ids({ search: '10' })).toEqual(['5004', '5001']);
    expect((await call(core, 'browse.participants', { filter: { search: 'zzz' } })).total).toBe(0);
  });

  it('lists events with their counts', async () => {
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '5001' });
    const events = await call(core, 'browse.events', { sort: { column: 'registered', direction: 'desc' } });
    expect(events.total).toBe(3);
    expect(events.rows.map((e) => [e.event_name, e.registered, e.checked_in])).toEqual([
      ['City Run 2026 › 5K', 3, 1],
      ['Harbour Half', 1, 0],
      ['City Run 2026 › 10K', 1, 0],
    ]);
    expect((await call(core, 'browse.events', { filter: { search: 'harbour' } })).rows.map((e) => e.event_id)).toEqual(['CT-9']);
  });

  it('pages results', async () => {
    upsertRows(core.db, 'ct_results', ['event_id', 'entry_id'], [
      { event_id: 'CT-9', entry_id: 'E-1', results_bib: '500', results_first_name: 'Chen', results_last_name: 'Wei', results_sex: 'M', results_time: '1:30:00', results_rank: 1 },
    ]);
    const results = await call(core, 'browse.results', { filter: { provider: 'chronotrack' } });
    expect(results.total).toBe(1);
    expect(results.rows[0]).toMatchObject({ bib_number: '500', last_name: 'Wei', overall_place: 1, status: 'finished', event_name: 'Harbour Half' });
  });

  it('pages deep into many tied names in the same order as one read of the whole table', async () => {
    const names = ['Núñez', 'Nunez', 'Smith', "O'Brien"];
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], Array.from({ length: 60 }, (_, i) => ({
      registration_id: 7000 + i, event_id: 101 + (i % 2), race_id: 1, first_name: i % 3 ? 'Ana' : 'Zoë', last_name: names[i % names.length], bib_num: String(100 + i),
    })));
    const key = (r: { source_provider: string; participant_id: string }) => `${r.source_provider}:${r.participant_id}`;
    for (const sort of [{ column: 'last_name', direction: 'asc' }, { column: 'first_name', direction: 'desc' }, { column: 'bib_number', direction: 'asc' }] as const) {
      for (const filter of [{}, { eventId: '102' }, { walkUp: false }]) {
        const whole = await call(core, 'browse.participants', { limit: 1000, sort, filter });
        const paged: string[] = [];
        for (let offset = 0; offset < whole.total; offset += 7) {
          const page = await call(core, 'browse.participants', { offset, limit: 7, sort, filter });
          expect(page.total).toBe(whole.total);
          paged.push(...page.rows.map(key));
        }
        expect(paged).toEqual(whole.rows.map(key));
        expect(new Set(paged).size).toBe(whole.total);
      }
    }
    const deep = await call(core, 'browse.participants', { offset: 64, limit: 5, sort: { column: 'last_name', direction: 'asc' } });
    expect(deep.rows.map((r) => r.last_name)).toEqual(['Wei']);
  });

  it('refuses a sort column outside the whitelist', async () => {
    const result = await dispatch(core, 'browse.participants', { sort: { column: 'email; DROP TABLE x', direction: 'asc' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('CSV export', () => {
  let core: TestCore;
  beforeEach(() => {
    core = createTestCore();
    seedVenue(core.db);
  });
  afterEach(() => core.cleanup());

  it('exports the filtered, sorted table with quoting', async () => {
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], [
      { registration_id: 5005, event_id: 101, race_id: 1, first_name: 'Mary "Speedy"', last_name: 'Smith, Jr.', bib_num: '13', team_name: 'Line\nbreak' },
    ]);
    const exported = await call(core, 'browse.exportCsv', { table: 'participants', filter: { eventId: '101' }, sort: { column: 'bib_number', direction: 'asc' } });
    expect(exported.rowCount).toBe(4);
    expect(exported.filename).toMatch(/^participants-\d{4}-\d{2}-\d{2}\.csv$/);
    // One byte-order mark (the download adds none), then readable headers.
    expect(exported.csv.match(/^\uFEFF*/)?.[0].length, 'byte-order marks at the start').toBe(1);
    const lines = exported.csv.slice(1).split('\r\n');
    expect(lines[0].split(',').slice(0, 6)).toEqual(['Provider', 'Event ID', 'Participant ID', 'First name', 'Last name', 'Email']);
    expect(lines[0]).not.toMatch(/\w_\w/);
    expect(lines[1]).toMatch(/^runsignup,101,5001,Ana,Núñez,/);
    expect(exported.csv).toContain('"Mary ""Speedy""","Smith, Jr."');
    expect(exported.csv).toContain('"Line\nbreak"');
    expect(exported.csv.endsWith('\r\n')).toBe(true);
  });

  it('exports events and results', async () => {
    const events = await call(core, 'browse.exportCsv', { table: 'events' });
    expect(events.rowCount).toBe(3);
    const results = await call(core, 'browse.exportCsv', { table: 'results' });
    expect(results).toMatchObject({ rowCount: 0 });
    expect(results.csv).toContain('Place');
  });
});

describe('browse.exportCsv of Haku runners', () => {
  let core: TestCore;
  afterEach(() => core.cleanup());

  it("names each runner by Haku's registration number, not the app's event-scoped id", async () => {
    core = createTestCore();
    upsertRows(core.db, 'haku_events', ['event_id'], [
      { event_id: 'aaaaaaaaaaaaaaaaaaaa', event_name: 'Riverfront 10K' },
      { event_id: 'bbbbbbbbbbbbbbbbbbbb', event_name: 'Lakefront Half' },
    ]);
    upsertRows(core.db, 'haku_participants', ['event_id', 'participant_id'], [
      { event_id: 'aaaaaaaaaaaaaaaaaaaa', participant_id: 'R-1001', first_name: 'Dana', last_name: 'Whitfield', bib_number: '1187' },
      { event_id: 'bbbbbbbbbbbbbbbbbbbb', participant_id: 'R-1001', first_name: 'Luis', last_name: 'Ortega', bib_number: '1188' },
    ]);
    const shown = await call(core, 'browse.participants', { filter: { provider: 'haku' }, sort: { column: 'bib_number', direction: 'asc' }, offset: 0, limit: 10 });
    expect(shown.rows.map((r) => r.participant_id)).toEqual(['aaaaaaaaaaaaaaaaaaaa:R-1001', 'bbbbbbbbbbbbbbbbbbbb:R-1001']);

    const exported = await call(core, 'browse.exportCsv', { table: 'participants', filter: { provider: 'haku' }, sort: { column: 'bib_number', direction: 'asc' } });
    const lines = exported.csv.slice(1).split('\r\n');
    expect(lines[1]).toMatch(/^haku,aaaaaaaaaaaaaaaaaaaa,R-1001,Dana,Whitfield,/);
    expect(lines[2]).toMatch(/^haku,bbbbbbbbbbbbbbbbbbbb,R-1001,Luis,Ortega,/);
  });
});
