import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventBlock, parseRace, parseSummary, participantRow, resultRow } from '../../../../src-main/core/providers/copernico/mapping.ts';

// Shaped after what integrations calling Copernico's live API read (field-check.md §5): /athletes
// items with only id, name, surname and dorsal (CP3); an athlete record without an events list,
// with male/female and its finish only in rankings.Meta {time, net, pos..., rawTime} in ms (CP5, CP7).
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).data;
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
