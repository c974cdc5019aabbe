import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  eventSchema,
  mapEventRows,
  mapParticipantRow,
  participantSchema,
  toUtcIso,
} from '../../../../src-main/core/providers/raceroster/mapping.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { accountLabel: 'Maple Ridge timing', timingPartnerId: 7, fetchedAt: '2026-11-25T10:00:00.000Z' };

describe('Race Roster dates', () => {
  it('reads "-0400", "-04:00" and "+00:00" offsets as UTC instants', () => {
    expect(toUtcIso('2026-10-11T08:00:00-0400')).toBe('2026-10-11T12:00:00.000Z');
    expect(toUtcIso('2027-06-20T07:15:00-04:00')).toBe('2027-06-20T11:15:00.000Z');
    expect(toUtcIso('2026-03-02T14:05:11+00:00')).toBe('2026-03-02T14:05:11.000Z');
    expect(toUtcIso('2026-03-02')).toBeNull();
    expect(toUtcIso('next tuesday')).toBeNull();
  });
});

describe('Race Roster events -> raceroster_events', () => {
  const [harvest, triathlon] = fixture('events_list.json').data.map((e: unknown) => eventSchema.parse(e));

  it('gives one row per sub-event with every column the API feeds', () => {
    const rows = mapEventRows(harvest, { ...context, counts: new Map([[131077, 312]]) });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      event_id: 48213,
      race_id: 131077,
      name: 'Maple Ridge Harvest Run 2026 › Half Marathon',
      description: '<p>A fall road race along the Speed River.</p>',
      start_date: '2026-10-11T12:00:00.000Z',
      end_date: '2026-10-11T12:00:00.000Z',
      location_name: 'Guelph',
      address: JSON.stringify({ line: '200 Riverside Park Rd, Guelph, ON, N1E 3K5', city: 'Guelph', region: 'ON', country: 'CA', lat: 43.5532, lng: -80.2461 }),
      timezone: 'America/Toronto',
      distance: 21.097,
      event_type: 'running',
      registration_open_date: '2026-02-01T14:00:00.000Z',
      registration_close_date: '2026-10-10T03:59:00.000Z',
      max_participants: 800,
      current_participants: 312,
      price: null,
      // No currency or status field on /events: NULL, not guessed from the country or the dates.
      currency: null,
      status: null,
      fetched_date: context.fetchedAt,
      credentials_used: 'Maple Ridge timing',
      timing_partner_id: 7,
    });
    // The 5K starts later (customSubEventDate) and is unlimited ("-1").
    expect(rows[1]).toMatchObject({ race_id: 131078, start_date: '2026-10-11T13:30:00.000Z', max_participants: null, distance: 5 });
    expect(rows[1]).not.toHaveProperty('current_participants');
  });

  it('handles sub-events without a distance object', () => {
    const rows = mapEventRows(triathlon, context);
    expect(rows.map((r) => [r.race_id, r.distance, r.event_type, r.max_participants, r.status])).toEqual([
      [132201, 25.75, 'triathlon', null, null],
      [132202, null, null, 60, null],
    ]);
  });
});

describe('Race Roster participants -> raceroster_participants', () => {
  const [priya, marcus] = fixture('event_participants.json').data.map((p: unknown) => participantSchema.parse(p));

  it('maps a full registration: gender code, address JSON, emergency contact, money', () => {
    const row = mapParticipantRow(priya, { ...context, eventId: 48213, subEventName: 'Half Marathon' });
    expect(row).toMatchObject({
      event_id: 48213,
      race_id: 131077,
      registration_id: 9100231,
      bib_number: '1042',
      first_name: 'Priya',
      last_name: 'Lindqvist',
      email: 'priya.lindqvist@example.com',
      phone: '519-555-0187',
      date_of_birth: '1988-07-19',
      gender: 'F',
      team_name: null,
      division: 'Half Marathon',
      registration_date: '2026-03-02T14:05:11.000Z',
      // Not in the API: NULL rather than invented.
      registration_status: null,
      payment_status: null,
      amount_paid: 85,
      credentials_used: 'Maple Ridge timing',
      timing_partner_id: 7,
    });
    expect(JSON.parse(row.address as string)).toEqual({ line: '77 Weber St W, Kitchener, ON, N2H 4A1', city: 'Kitchener', region: 'ON', country: 'CA' });
    expect(JSON.parse(row.emergency_contact as string)).toEqual({ first_name: 'Jonas', last_name: 'Lindqvist', phone: '519-555-0166', email: 'jonas.l@example.com' });
    expect(JSON.parse(row.additional_info as string)).toMatchObject({
      subEventId: 131077,
      uniqueParticipantId: '0f6b8a2e-3c1d-4e59-9a7b-2d4c6e8f1a03',
      transactionId: 7734120,
      age: 38,
      lastModifiedDate: '2026-08-30T10:41:27.000Z',
    });
  });

  it('maps a sparse registration: no bib, no contact, a team id but no team name', () => {
    const row = mapParticipantRow(marcus, { ...context, eventId: 48213, subEventName: '5K' });
    expect(row).toMatchObject({ bib_number: null, gender: 'M', emergency_contact: null, team_name: null, amount_paid: 40, registration_date: '2026-09-11T01:48:03.000Z' });
    expect(JSON.parse(row.additional_info as string)).toMatchObject({ teamId: 4471, netSwagTotal: 45, bundleRegistration: true });
  });

  it('folds every gender code the reference lists', () => {
    const gender = (code: number) => mapParticipantRow(participantSchema.parse({ ...fixture('event_participants.json').data[0], gender: code }), { ...context, eventId: 1, subEventName: null }).gender;
    expect([1, 2, 9, 0, 8].map(gender)).toEqual(['M', 'F', 'X', null, 'co-ed']);
    expect(participantSchema.safeParse({ ...fixture('event_participants.json').data[0], gender: 5 }).success).toBe(false);
  });
});
