import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detailSchema, eventSchema, mapEventRow, mapParticipantRow, summarySchema } from '../../../../src-main/core/providers/haku/mapping.ts';
import { lenientParse, type RecordIssue } from '../../../../src-main/core/providers/record-problems.ts';

// Shaped after what the integrations that call Haku's live API read (field-check.md §6, H1/H2):
// bare lists, an opaque event id, flat location_name/_city/_state, a distance like "5K", a price as
// a string; a participant summary without `id` or `updated_at`; a registration detail whose dob
// carries a time and whose event category holds tag and chip numbers, wave and corral.
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { accountLabel: 'Harbor timing', timingPartnerId: 7, fetchedAt: '2026-03-01T12:00:00.000Z' };

describe('Haku mapping of payloads shaped like the live API', () => {
  const problems: RecordIssue[] = [];
  const at = { key: ['registration_number'], what: 'registration', where: 'documented example', problems };
  const event = lenientParse(eventSchema, fixture('documented-events.json')[0], { ...at, key: ['id'], what: 'event' })!;
  const summary = lenientParse(summarySchema, fixture('documented-participants.json')[0], at)!;
  const detail = lenientParse(detailSchema, fixture('documented-registration.json'), at)!;

  it('reads every record without a problem', () => {
    expect(problems).toEqual([]);
  });

  it('keeps the flat location, the "5K" distance and the string price', () => {
    expect(mapEventRow(event, context)).toMatchObject({
      event_id: '5f3c2a9e81b7d40c6e21',
      event_name: 'Harbor Lights 5K',
      start_date: '2026-06-13T19:00:00.000Z',
      end_date: '2026-06-13T21:30:00.000Z',
      location: 'Harbor Park, Norfolk, VA',
      event_type: 'running',
      distance: 5,
      max_participants: 1500,
      registration_fee: 35,
      currency: 'USD',
      status: 'active',
    });
  });

  it('maps the registration: names, dob without its time, tag number as the bib, chip, wave and corral', () => {
    expect(mapParticipantRow(detail, summary, { ...context, eventId: event.id })).toMatchObject({
      event_id: '5f3c2a9e81b7d40c6e21',
      participant_id: 'HL-20417',
      bib_number: '417',
      first_name: 'Maya',
      last_name: 'Desai',
      email: 'maya.desai@example.com',
      phone: '757-555-0134',
      date_of_birth: '1996-09-03',
      gender: 'F',
      team_affiliation: 'Ghent Run Club',
      category: '5K',
      registration_date: '2026-02-14T16:22:08.000Z',
      amount_paid: 35,
      shirt_size: "Women's Small",
      chip_number: 'E2003412DC03011',
      wave: 'Wave A',
      corral: 'Corral 1',
      city: 'Norfolk',
      state: 'VA',
    });
  });
});
