import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventSchema, mapEventRows, mapParticipantRow, participantSchema } from '../../../../src-main/core/providers/raceroster/mapping.ts';
import { lenientParse, type RecordIssue } from '../../../../src-main/core/providers/record-problems.ts';

// Shaped after the example payloads of Race Roster's API reference as a public fake reproduces them
// (field-check.md §4, RR2): ids quoted as strings, sub-events with empty "distance"/"distanceType"
// and no subEventDistance, offsets as "+00:00", bibNumber a number, answers as strings, totals as
// decimal strings; no price, currency, status or team name anywhere.
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { accountLabel: 'Escape timing', timingPartnerId: 7, fetchedAt: '2015-03-01T12:00:00.000Z' };

describe('Race Roster mapping of payloads shaped like the documented examples', () => {
  const problems: RecordIssue[] = [];
  const at = { what: 'record', where: 'documented example', problems };
  const event = lenientParse(eventSchema, fixture('documented-events.json').data[0], { ...at, key: ['eventId'] })!;
  const participant = lenientParse(participantSchema, fixture('documented-participants.json').data[0], { ...at, key: ['participantId'] })!;

  it('reads every record without a problem, string ids included', () => {
    expect(problems).toEqual([]);
    expect(event.eventId).toBe(761);
    expect(participant.participantId).toBe(5501);
  });

  it('gives one event row per sub-event, with no distance when the example has none', () => {
    const rows = mapEventRows(event, context);
    expect(rows.map((row) => [row.race_id, row.name, row.distance, row.event_type, row.max_participants])).toEqual([
      [12, '2015 Alcatraz XXXV Escape from the Rock › Individual', null, null, null],
      [14, '2015 Alcatraz XXXV Escape from the Rock › Relay Team', null, null, null],
      [15, '2015 Alcatraz XXXV Escape from the Rock › Swim-Only', null, null, null],
    ]);
    expect(rows[0]).toMatchObject({
      event_id: 761,
      start_date: '2015-06-07T14:00:00.000Z',
      timezone: 'America/Vancouver',
      registration_open_date: '2015-01-05T17:00:00.000Z',
      registration_close_date: '2015-06-06T00:00:00.000Z',
      price: null,
      currency: null,
      status: null,
    });
  });

  it('maps the documented participant fields', () => {
    const row = mapParticipantRow(participant, { ...context, eventId: 761, subEventName: 'Individual' });
    expect(row).toMatchObject({
      event_id: 761,
      race_id: 12,
      registration_id: 5501,
      bib_number: '2992',
      first_name: 'Jane',
      last_name: 'Roe',
      email: 'jane.roe@example.com',
      phone: '555-555-0100',
      date_of_birth: '1979-04-12',
      gender: 'M',
      team_name: null,
      registration_date: '2015-01-20T10:12:44.000Z',
      amount_paid: 100,
      registration_status: null,
      payment_status: null,
      emergency_contact: JSON.stringify({ first_name: 'John', last_name: 'Deer', phone: '555-555-5555', email: 'john_deer@example.com' }),
    });
    expect(JSON.parse(String(row.additional_info))).toMatchObject({ transactionId: 8281947, usatNumber: '1A2B3C4D5E', age: 35 });
  });
});
