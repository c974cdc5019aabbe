import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectPages, connectSession } from '../../../helpers/provider-session.ts';
import { copernico } from '../../../../src-main/core/providers/copernico/definition.ts';
import {
  eventBlock,
  parseRace,
  parseSummary,
  participantRow,
  placePresetResults,
  presetResult,
  resultRow,
} from '../../../../src-main/core/providers/copernico/mapping.ts';
import { startSimulator } from '../../../../src-main/simulators/kit.ts';

// Shaped after what integrations calling Copernico's live API read (field-check.md §5): /athletes
// items with only id, name, surname and dorsal (CP3); an athlete record without an events list,
// with male/female and its finish only in rankings.Meta {time, net, pos..., rawTime} in ms (CP5, CP7).
const file = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const fixture = (name: string) => file(name).data;
const context = { accountLabel: 'Sevilla timing', timingPartnerId: 7, fetchedAt: '2026-11-15T12:00:00.000Z' };
const race = parseRace('sevilla-10k-2026', { name: 'Sevilla 10K' }, context);

describe('Copernico mapping of payloads shaped like the live API', () => {
  it('maps an /athletes item that has only id, names and dorsal', () => {
    const [item] = fixture('documented-athletes.json');
    const summary = parseSummary(item);
    expect(participantRow(race.events[0].eventId, summary.raw, eventBlock(summary.raw, race.events[0].name, race), context)).toMatchObject({
      event_id: 'sevilla-10k-2026',
      participant_id: '7KQ2M9ZP',
      bib_number: '1532',
      first_name: 'Marta',
      last_name: 'Iglesias Rey',
      gender: null,
      date_of_birth: null,
    });
  });

  it('takes the finish from rankings.Meta when the record has no times', () => {
    const athlete = fixture('documented-athlete.json');
    const row = resultRow(race.events[0].eventId, athlete, eventBlock(athlete, race.events[0].name, race)!, context);
    expect(row).toMatchObject({
      participant_id: '7KQ2M9ZP',
      bib_number: '1532',
      category: 'F35',
      status: 'finished',
      total_time: '0:47:51.660',
      gun_time: '0:48:13.410',
      finish_time: new Date(1794731893410).toISOString(),
      overall_position: 398,
      category_position: 17,
    });
    expect(JSON.parse(String(row.split_times))).toEqual({
      Meta: { order: 0, distance: null, time_ms: 2893410, net_ms: 2871660, pos: 412, posCat: 18, posGen: 97 },
    });
  });
});

// The public preset export as copernico.md §4.5 documents it: a bare array of flat rows with
// "times.{official|real|tod}_:::{split}:::" columns in ms and no athlete id (preset_results.json).
describe('Copernico preset export rows shaped like the documented format', () => {
  const rows = file('preset_results.json') as Array<Record<string, unknown>>;

  it('maps each row to a result with net total, gun time, finish time of day and splits, and places finishers', () => {
    const results = rows.map((row, i) => presetResult('rio-21k:21K', row, `A${i}`, context));
    placePresetResults(results);
    expect(results[0].row).toMatchObject({
      bib_number: '1',
      first_name: 'Lucía',
      last_name: 'Ferrándiz Soto',
      category: 'Senior F',
      status: 'finished',
      total_time: '1:18:21.730',
      gun_time: '1:18:22.330',
      finish_time: new Date(1794734302330).toISOString(),
      overall_position: 1,
      category_position: 1,
    });
    expect(JSON.parse(String(results[0].row.split_times))).toEqual({
      '5K': { order: 0, distance: null, time_ms: 1098000, net_ms: 1097400, pos: null, posCat: null, posGen: null },
      '10K': { order: 1, distance: null, time_ms: 2201500, net_ms: 2200900, pos: null, posCat: null, posGen: null },
      finish: { order: 2, distance: null, time_ms: 4702330, net_ms: 4701730, pos: null, posCat: null, posGen: null },
    });
    expect(results[1].row).toMatchObject({ overall_position: 2, category_position: 1 });
    // The drop-out: the split reached is kept, no finish, no place.
    expect(results[2].row).toMatchObject({ status: 'dnf', total_time: null, gun_time: null, finish_time: null, overall_position: null, category_position: null });
    expect(Object.keys(JSON.parse(String(results[2].row.split_times)))).toEqual(['5K']);
  });

  it('matches rows to the athlete list by dorsal through a session, skipping and reporting a row no athlete has', async () => {
    const server = await startSimulator({
      route: (request) => {
        const envelope = (data: unknown) => ({ body: { result: { code: 1 }, data } });
        if (request.path.includes('/preset/')) return { body: rows };
        if (request.path === '/api/races') return envelope(['rio-21k']);
        if (request.path === '/api/races/rio-21k') return envelope({ name: 'Río 21K', events: [{ name: '21K' }, { name: '10K' }] });
        if (request.path === '/api/races/rio-21k/athletes') {
          return envelope([
            { id: '64D271D9', name: 'Lucía', surname: 'Ferrándiz Soto', dorsal: 1, event: '21K' },
            { id: '3XK9QP2M', name: 'Tomás', surname: 'Aguirre Belmonte', dorsal: 214, event: '21K' },
          ]);
        }
        return { status: 404, body: { result: { code: -1 }, data: null } };
      },
    });
    try {
      const session = connectSession(copernico, {
        baseUrl: server.url,
        secret: { api_key: 'k', preset_login: 'crono@example.es', preset_name: 'Clasificación' },
        accountLabel: 'Sevilla timing',
      });
      const [half] = await session.listEvents();
      const pages = await collectPages(session.resultPages!(half, { since: null }));
      expect(pages.flatMap((p) => p.rows).map((r) => [r.participant_id, r.overall_position])).toEqual([['64D271D9', 1], ['3XK9QP2M', 2]]);
      expect(pages.flatMap((p) => p.problems ?? [])).toEqual([
        expect.objectContaining({ recordId: '877', skipped: true, problem: expect.stringContaining('has dorsal 877, which no athlete of race rio-21k has') }),
      ]);
      expect(server.requests.filter((r) => r.path.includes('/athlete/'))).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
