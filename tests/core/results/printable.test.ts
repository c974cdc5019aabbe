import { describe, it, expect, afterEach } from 'vitest';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import type { OutputOf } from '../../../src-main/core/api/contract.ts';
import type { Handlers } from '../../../src-main/core/api/handlers.ts';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { eventId } from './seed.ts';
import { awardsFinishFile, seedAwardsEvent } from './print-seed.ts';
import { seedChronoTrackDay, chronoTrackDayFile, ctEventId } from './races-seed.ts';

let core: TestCore;
afterEach(() => core?.cleanup());

type Printed = OutputOf<Handlers['results.printable']>;

/** Each group as its heading and the place and name of every row. */
const awardGroups = (printed: Printed) => Object.fromEntries(printed.groups.map((group) => [group.title, group.rows.map((row) => `${row[0]} ${row[2]}`)]));

async function awardsCore() {
  core = createTestCore();
  seedAwardsEvent(core.db);
  await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: awardsFinishFile });
}

describe('award lists', () => {
  it('list the top 3 overall, per gender and per age group within gender, ties at the cut included and DNF never', async () => {
    await awardsCore();
    const awards = await call(core, 'results.printable', { event: eventId, document: 'awards' });
    expect(awards.title).toBe('City Run 2026 › City 10K — Awards');
    expect(awards.subtitle).toContain('Top 3 overall and per gender, top 3 per age group; overall winners also take age-group awards');
    expect(awards.columns.map((c) => c.label)).toEqual(['Place', 'Bib', 'Name', 'G', 'Age', 'Time']);
    expect(awardGroups(awards)).toEqual({
      Overall: ['1 Lucía Peña', '2 Ann Smith', '3 Bob Jones', '3 Cid Lee'],
      'Female overall': ['1 Lucía Peña', '2 Ann Smith', '3 Zoë Łukasz'],
      'Male overall': ['1 Bob Jones', '1 Cid Lee', '3 Max Roth'],
      'Non-binary overall': ['1 Fay Moss'],
      'Female 30-39': ['1 Lucía Peña', '2 Ann Smith', '3 Zoë Łukasz'],
      'Female 40-49': ['1 Dee Park'],
      'Male 20-29': ['1 Bob Jones'],
      'Male 30-39': ['1 Cid Lee', '2 Max Roth'],
      'Male 60-69': ['1 Leo Ward'],
    });
    // Eve Núñez did not finish: no award anywhere, though she is the only F20-29.
    expect(JSON.stringify(awards.groups)).not.toContain('Núñez');
    expect(awards.groups[0].rows[0]).toEqual(['1', '107', 'Lucía Peña', 'F', '33', '39:50']);
  });

  it('take N from the request, or the event’s overall-award cut, whose winners leave the age groups', async () => {
    await awardsCore();
    const two = await call(core, 'results.printable', { event: eventId, document: 'awards', top: 2, ageGroupTop: 1 });
    expect(awardGroups(two)).toMatchObject({ Overall: ['1 Lucía Peña', '2 Ann Smith'], 'Male overall': ['1 Bob Jones', '1 Cid Lee'], 'Female 30-39': ['1 Lucía Peña'] });

    await call(core, 'results.settings.set', { event: eventId, excludeOverallPlaces: 1 });
    const cut = await call(core, 'results.printable', { event: eventId, document: 'awards' });
    expect(cut.subtitle).toContain('Top 1 overall and per gender, top 3 per age group; the top 1 of each gender take no age-group award');
    expect(awardGroups(cut)).toEqual({
      Overall: ['1 Lucía Peña'],
      'Female overall': ['1 Lucía Peña'],
      'Male overall': ['1 Bob Jones', '1 Cid Lee'],
      'Non-binary overall': ['1 Fay Moss'],
      'Female 30-39': ['1 Ann Smith', '2 Zoë Łukasz'],
      'Female 40-49': ['1 Dee Park'],
      'Male 30-39': ['1 Max Roth'],
      'Male 60-69': ['1 Leo Ward'],
    });
  });

  it('award each race of a ChronoTrack day on its own, each race from a new page, the walk-up without a race nowhere', async () => {
    core = createTestCore();
    seedChronoTrackDay(core.db);
    await call(core, 'results.accept', { event: ctEventId, fileName: 'day.csv', content: chronoTrackDayFile });
    const awards = await call(core, 'results.printable', { event: ctEventId, document: 'awards', top: 1, ageGroupTop: 1 });
    expect(awards.groups.map((g) => [g.title, g.newPage, g.rows.map((r) => r[2])])).toEqual([
      ['5K — Overall', false, ['Ben Bell']],
      ['5K — Female overall', false, ['Ada Amos']],
      ['5K — Male overall', false, ['Ben Bell']],
      ['5K — Female 30-39', false, ['Ada Amos']],
      ['5K — Male 20-29', false, ['Cal Cole']],
      ['5K — Male 40-49', false, ['Ben Bell']],
      ['Half Marathon — Overall', true, ['Dan Dorn']],
      ['Half Marathon — Female overall', false, ['Eva Ek']],
      ['Half Marathon — Male overall', false, ['Dan Dorn']],
      ['Half Marathon — Female 30-39', false, ['Eva Ek']],
      ['Half Marathon — Male 40-49', false, ['Dan Dorn']],
    ]);
    const half = await call(core, 'results.printable', { event: ctEventId, document: 'awards', race: 'r21', top: 1 });
    expect(half.title).toBe('Harbor Run Day — Half Marathon — Awards');
    expect(half.groups[0]).toMatchObject({ title: 'Overall', newPage: false });
  });

  it('say that nobody is placed before any result is imported', async () => {
    core = createTestCore();
    seedAwardsEvent(core.db);
    const awards = await call(core, 'results.printable', { event: eventId, document: 'awards' });
    expect(awards.groups).toEqual([{ title: null, newPage: false, rows: [] }]);
    expect(awards.notes).toContain('Nobody is placed yet: import the finish results first.');
  });
});

describe('results sheet', () => {
  it('lists every result in place order, non-finishers last without a place', async () => {
    await awardsCore();
    const sheet = await call(core, 'results.printable', { event: eventId, document: 'results' });
    expect(sheet.subtitle).toBe('2026-05-10 · Placed by chip time · 9 placed of 10 results');
    expect(sheet.groups).toHaveLength(1);
    const rows = sheet.groups[0].rows;
    expect(rows.map((r) => `${r[0]} ${r[2]}`)).toEqual([
      '1 Lucía Peña', '2 Ann Smith', '3 Bob Jones', '3 Cid Lee', '5 Max Roth', '6 Zoë Łukasz', '7 Dee Park', '8 Fay Moss', '9 Leo Ward', ' Eve Núñez',
    ]);
    expect(rows[9].at(-1)).toBe('DNF');
    expect(rows[0]).toEqual(['1', '107', 'Lucía Peña', 'F', '33', '30-39', '39:50', '1', '1', '']);
  });

  it('gives each race of a ChronoTrack day its own group and page', async () => {
    core = createTestCore();
    seedChronoTrackDay(core.db);
    await call(core, 'results.accept', { event: ctEventId, fileName: 'day.csv', content: chronoTrackDayFile });
    const sheet = await call(core, 'results.printable', { event: ctEventId, document: 'results' });
    expect(sheet.groups.map((g) => [g.title, g.newPage, g.rows.length])).toEqual([
      ['5K', false, 3],
      ['Half Marathon', true, 3],
      ['Race not known (not placed)', true, 1],
    ]);
  });
});

describe('packet-pickup list', () => {
  it('lists the runners of a bib range in bib order, saying who picked up already', async () => {
    core = createTestCore();
    seedAwardsEvent(core.db);
    await call(core, 'pickup.checkIn', { provider: 'runsignup', participantId: '9105' });
    const list = await call(core, 'results.printable', { event: eventId, document: 'pickup', bibFrom: 103, bibTo: 107 });
    expect(list.title).toBe('City Run 2026 › City 10K — Bibs 103–107 — Packet pickup');
    expect(list.subtitle).toBe('2026-05-10 · Bibs 103–107: 5 runners, 1 picked up already');
    expect(list.columns.map((c) => c.label)).toEqual(['Bib', 'Last name', 'First name', 'G', 'Age', 'Team', 'Picked up']);
    expect(list.groups[0].rows.map((r) => [r[0], r[1], r.at(-1)])).toEqual([
      ['103', 'Lee', ''],
      ['104', 'Park', ''],
      ['105', 'Núñez', 'yes'],
      ['106', 'Moss', ''],
      ['107', 'Peña', ''],
    ]);
    expect(list.fileName).toBe('City-Run-2026-City-10K-Bibs-103-107-pickup.pdf');
    const all = await call(core, 'results.printable', { event: eventId, document: 'pickup' });
    expect(all.groups[0].rows.map((r) => r[0])).toEqual(['101', '102', '103', '104', '105', '106', '107', '108', '109', '110', '200', '200']);
  });

  it('refuses a backwards range, a range on another document and a race on the pickup list', async () => {
    core = createTestCore();
    seedAwardsEvent(core.db);
    const refusal = async (input: Record<string, unknown>) => {
      const answer = await dispatch(core, 'results.printable', { event: eventId, ...input } as never);
      return answer.ok ? null : answer.error;
    };
    expect(await refusal({ document: 'pickup', bibFrom: 300, bibTo: 200 })).toEqual({ code: 'invalid_input', message: 'The bib range 300–200 runs backwards; give the lower bib first.' });
    expect(await refusal({ document: 'awards', bibFrom: 1 })).toEqual({
      code: 'invalid_input',
      message: 'A bib range is for the packet-pickup list only; leave out the bibs or print the pickup list.',
    });
    expect(await refusal({ document: 'pickup', race: 'r5' })).toMatchObject({ code: 'invalid_input' });
    expect(await refusal({ document: 'medals' })).toMatchObject({ code: 'invalid_input' });
  });
});
