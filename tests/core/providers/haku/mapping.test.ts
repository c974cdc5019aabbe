import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  detailSchema,
  eventSchema,
  mapEventRow,
  mapParticipantRow,
  splitFullName,
  summarySchema,
  toUtcIso,
} from '../../../../src-main/core/providers/haku/mapping.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { accountLabel: 'Windy City Races', timingPartnerId: 7, fetchedAt: '2026-11-25T10:00:00.000Z' };

describe('Haku timestamps', () => {
  it('reads ISO "Z" and offsets, and the integrator\'s space-separated form as UTC', () => {
    expect(toUtcIso('2026-03-14T18:22:05Z')).toBe('2026-03-14T18:22:05.000Z');
    expect(toUtcIso('2026-03-14T13:22:05-0500')).toBe('2026-03-14T18:22:05.000Z');
    expect(toUtcIso('2026-03-14 18:22:05')).toBe('2026-03-14T18:22:05.000Z');
    expect(toUtcIso('14/03/2026')).toBeNull();
  });
});

describe('Haku events -> haku_events', () => {
  it('maps the fixture events, converting miles to km', () => {
    const [riverfront, lakefront] = fixture('events_list.json').events.map((e: unknown) => mapEventRow(eventSchema.parse(e), context));
    expect(riverfront).toEqual({
      event_id: 'e735b096f63aaf72e58d',
      event_name: 'Riverfront 10K 2026',
      start_date: '2026-05-17T12:00:00.000Z',
      end_date: '2026-05-17T16:00:00.000Z',
      location: 'Grant Park, Chicago, IL, US',
      event_type: 'running',
      distance: 10,
      max_participants: 3000,
      registration_fee: 55,
      currency: 'USD',
      status: 'active',
      fetched_date: context.fetchedAt,
      credentials_used: 'Windy City Races',
      timing_partner_id: 7,
    });
    expect(lakefront).toMatchObject({ distance: 21.082, max_participants: null, status: 'draft', registration_fee: 95 });
  });

  it('takes any event id as opaque text, and a distance written "5K" or "13.1 mi"', () => {
    const [first] = fixture('events_list.json').events;
    const read = (changes: Record<string, unknown>) => mapEventRow(eventSchema.parse({ ...first, distance_unit: undefined, ...changes }), context);
    expect(read({ id: 'riverfront' })).toMatchObject({ event_id: 'riverfront' });
    expect(read({ id: 48213 })).toMatchObject({ event_id: '48213' });
    expect(read({ distance: '5K' })).toMatchObject({ distance: 5 });
    expect(read({ distance: '13.1 mi' })).toMatchObject({ distance: 21.082 });
    expect(read({ distance: 'marathon' })).toMatchObject({ distance: 42.195 });
    expect(eventSchema.safeParse({ ...first, distance: 'long' }).success).toBe(false);
  });
});

describe('Haku registrations -> haku_participants', () => {
  const [danaSummary, luisSummary] = fixture('event_participants.json').participants.map((p: unknown) => summarySchema.parse(p));
  const dana = detailSchema.parse(fixture('registration_detail.json'));

  it('maps the registration detail, with city and state for the unified view', () => {
    expect(mapParticipantRow(dana, danaSummary, { ...context, eventId: 'e735b096f63aaf72e58d' })).toEqual({
      event_id: 'e735b096f63aaf72e58d',
      participant_id: 'R-100482',
      bib_number: '1187',
      chip_number: '058A1187',
      wave: 'Wave 1',
      corral: 'Corral B',
      first_name: 'Dana',
      last_name: 'Whitfield-Okafor',
      email: 'dana.wo@example.com',
      phone: '+1-312-555-0199',
      date_of_birth: '1991-08-27',
      gender: 'F',
      nationality: 'US',
      emergency_contact: JSON.stringify({ name: 'Chidi Okafor', phone: '+1-312-555-0148', relationship: 'Spouse' }),
      team_affiliation: 'South Loop Striders',
      category: '10K Open',
      registration_date: '2026-01-09T02:15:33.000Z',
      payment_status: 'paid',
      amount_paid: 55,
      special_requirements: 'Needs a wheelchair-accessible start corral',
      shirt_size: "Women's Medium",
      city: 'Chicago',
      state: 'IL',
      fetched_date: context.fetchedAt,
      credentials_used: 'Windy City Races',
      timing_partner_id: 7,
    });
  });

  it('shows a cancellation in payment_status and falls back to the summary for names', () => {
    const sparse = detailSchema.parse({
      registration_number: 'R-100517',
      is_cancelled: true,
      transaction_amount: 0,
      additional_questions: [{ question: 'Any medical conditions?', answer: 'Type 1 diabetes' }],
      participant: { first_name: null, last_name: null, address: null },
      event_categories: [],
    });
    expect(mapParticipantRow(sparse, luisSummary, { ...context, eventId: 'e735b096f63aaf72e58d' })).toMatchObject({
      first_name: 'Luis',
      last_name: 'Carmona',
      email: 'lcarmona@example.net',
      payment_status: 'cancelled',
      bib_number: null,
      special_requirements: 'Type 1 diabetes',
      registration_date: '2026-01-11T19:47:02.000Z',
      emergency_contact: null,
      nationality: null,
      city: null,
    });
  });

  it('splits a full name on its last space', () => {
    expect(splitFullName('Ana María Peña')).toEqual(['Ana María', 'Peña']);
    expect(splitFullName('Cher')).toEqual(['Cher', null]);
  });
});
