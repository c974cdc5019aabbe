import { z } from 'zod';
import { utcInstant } from '../zoned-time.ts';
import type { TableRow } from '../types.ts';
import { divisionFor, endDateOf, teamNameFor } from './assumptions.ts';

/*
 * Race Roster API records (../shared/providers/raceroster.md §4) -> raceroster_events and
 * raceroster_participants rows. The schemas check only what the tables need; unknown fields pass.
 */

/** An instant as the store keeps it: ISO-8601 in UTC. Race Roster always sends an offset ("Z", "±HH:MM" or "±HHMM"). */
export const toUtcIso = (value: string): string | null => utcInstant(value);

const instant = z.string().refine((v) => toUtcIso(v) !== null, 'is not an ISO-8601 date-time with an offset');
const optionalInstant = z.union([instant, z.literal(''), z.null()]).optional();
const place = z.object({ code: z.string().nullish(), name: z.string().nullish() }).nullish();
/** Race Roster sends ids as integers; the JSON type of eventId is unconfirmed, so digits in a string pass too. */
const integerId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);
const decimalString = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]).nullish();
/** Coordinates are numbers in the examples; a numeric string ("43.78") is read as one. */
const coordinate = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).nullish();

const subEventSchema = z.object({
  subEventId: integerId,
  name: z.string(),
  maxParticipants: z.union([z.string(), z.number()]).nullish(),
  distance: z.union([z.string(), z.number()]).nullish(),
  distanceType: z.string().nullish(),
  subEventDistance: z
    .object({ type: z.string().nullish(), inMeters: z.union([z.string(), z.number()]).nullish() })
    .nullish(),
  customSubEventDate: optionalInstant,
  price: decimalString,
  currency: z.string().nullish(),
});

export const eventSchema = z.object({
  eventId: integerId,
  name: z.string(),
  description: z.string().nullish(),
  city: z.string().nullish(),
  region: place,
  country: place,
  address: z.string().nullish(),
  latitude: coordinate,
  longitude: coordinate,
  startDate: instant,
  timeZone: z.string().nullish(),
  registrationOpenDate: optionalInstant,
  registrationCloseDate: optionalInstant,
  lastModifiedDate: optionalInstant,
  // An event without sub-events lists with none, rather than failing the listing.
  subEvents: z
    .object({ data: z.array(subEventSchema) })
    .nullish()
    .transform((value) => value ?? { data: [] }),
});
export type RaceRosterEvent = z.output<typeof eventSchema>;
export type RaceRosterSubEvent = RaceRosterEvent['subEvents']['data'][number];

const question = z.object({
  questionId: z.number().nullish(),
  questionTitle: z.string().nullish(),
  // A multi-select answer comes as a list, a checkbox as a boolean (shape unconfirmed): kept as text.
  questionAnswer: z
    .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()])).transform((items) => items.join(', '))])
    .nullish(),
  type: z.string().nullish(),
});

/**
 * ISO 5218-like codes [DOC]: 0 not disclosed, 1 male, 2 female, 8 co-ed/mixed team, 9 non-binary.
 * Code 8 is stored as "co-ed", the reference's own word, not "mixed": the unified views fold
 * gender by its first letter (migration 0002, and the frozen copies that recreate the view), so
 * "mixed" would show every relay team as male, while "co-ed" folds to NULL — a team has no gender.
 */
const genderCodes: Record<number, string | null> = { 0: null, 1: 'M', 2: 'F', 8: 'co-ed', 9: 'X' };

export const participantSchema = z.object({
  participantId: integerId,
  uniqueParticipantId: z.string().nullish(),
  transactionId: z.number().nullish(),
  subEventId: integerId,
  registrationDate: optionalInstant,
  lastModifiedDate: optionalInstant,
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  dob: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a YYYY-MM-DD date')
    .nullish()
    .or(z.literal('')),
  age: z.number().nullish(),
  gender: z
    .number()
    .refine((code) => code in genderCodes, 'is not a known gender code (0, 1, 2, 8 or 9)')
    .nullish(),
  city: z.string().nullish(),
  region: place,
  country: place,
  teamId: z.number().nullish(),
  bibNumber: z.union([z.number(), z.string()]).nullish(),
  usatNumber: z.string().nullish(),
  profile: z
    .object({ email: z.string().nullish(), address: z.string().nullish(), phone: z.string().nullish() })
    .nullish(),
  bundleRegistration: z.boolean().nullish(),
  swag: z.array(z.unknown()).nullish(),
  registrationQuestions: z.object({ data: z.array(question) }).nullish(),
  emergencyContact: z.object({ data: z.array(question) }).nullish(),
  registrationTotals: z.object({ netRegistrationTotal: decimalString, netSwagTotal: decimalString }).nullish(),
});
export type RaceRosterParticipant = z.output<typeof participantSchema>;

/** Fields every row carries, from the sync context. */
export interface RowContext {
  accountLabel: string;
  timingPartnerId: number | null;
  /** When the rows were fetched (ISO UTC); a re-sync refreshes it. */
  fetchedAt: string;
}

const utc = (value: string | null | undefined) => (value ? toUtcIso(value) : null);
const blankToNull = (value: string | null | undefined) => (value === undefined || value === null || value.trim() === '' ? null : value.trim());
const decimal = (value: string | number | null | undefined) => (value === undefined || value === null || value === '' ? null : Number(value));

const kilometresPer: Record<string, number> = { km: 1, k: 1, m: 0.001, mi: 1.609344, mile: 1.609344, miles: 1.609344 };

function distanceKm(subEvent: RaceRosterSubEvent): number | null {
  const metres = decimal(subEvent.subEventDistance?.inMeters ?? null);
  if (metres !== null && Number.isFinite(metres) && metres > 0) return Math.round(metres) / 1000;
  const legacy = decimal(subEvent.distance ?? null);
  const unit = kilometresPer[(subEvent.distanceType ?? 'km').trim().toLowerCase() || 'km'];
  if (legacy === null || !Number.isFinite(legacy) || unit === undefined) return null;
  return Math.round(legacy * unit * 1000) / 1000;
}

function maxParticipants(value: string | number | null | undefined): number | null {
  const n = decimal(value);
  // "-1" means unlimited.
  return n === null || !Number.isInteger(n) || n < 0 ? null : n;
}

/** How a sub-event is named in raceroster_events.name: the event and the distance, as crews say it. */
export function subEventTitle(event: Pick<RaceRosterEvent, 'name'>, subEvent: Pick<RaceRosterSubEvent, 'name'>): string {
  return `${event.name} › ${subEvent.name}`;
}

/** One raceroster_events row per sub-event (the timed unit); `counts` are registrations per sub-event, where known. */
export function mapEventRows(
  event: RaceRosterEvent,
  context: RowContext & { counts?: ReadonlyMap<number, number> },
): TableRow[] {
  const registrationOpen = utc(event.registrationOpenDate);
  const registrationClose = utc(event.registrationCloseDate);
  const address = JSON.stringify({
    line: blankToNull(event.address),
    city: blankToNull(event.city),
    region: event.region?.code ?? null,
    country: event.country?.code ?? null,
    lat: event.latitude ?? null,
    lng: event.longitude ?? null,
  });
  return event.subEvents.data.map((subEvent) => {
    const start = utc(subEvent.customSubEventDate) ?? utc(event.startDate);
    return {
      event_id: event.eventId,
      race_id: subEvent.subEventId,
      name: subEventTitle(event, subEvent),
      description: blankToNull(event.description),
      start_date: start,
      end_date: endDateOf(start),
      location_name: blankToNull(event.city),
      address,
      timezone: blankToNull(event.timeZone),
      distance: distanceKm(subEvent),
      event_type: blankToNull(subEvent.subEventDistance?.type),
      registration_open_date: registrationOpen,
      registration_close_date: registrationClose,
      max_participants: maxParticipants(subEvent.maxParticipants),
      // Left out when unknown, so a failed count never blanks the count stored by an earlier sync.
      ...(context.counts?.has(subEvent.subEventId) ? { current_participants: context.counts.get(subEvent.subEventId)! } : {}),
      price: decimal(subEvent.price),
      // Race Roster sends no currency and no status (field check §4): NULL, not a guess from the country or the dates.
      currency: blankToNull(subEvent.currency),
      status: null,
      fetched_date: context.fetchedAt,
      credentials_used: context.accountLabel,
      timing_partner_id: context.timingPartnerId,
    };
  });
}

const emergencyKeys: Record<string, string> = {
  contact_first_name: 'first_name',
  contact_last_name: 'last_name',
  contact_phone: 'phone',
  contact_email: 'email',
};

function emergencyContact(participant: RaceRosterParticipant): string | null {
  const folded: Record<string, string> = {};
  for (const item of participant.emergencyContact?.data ?? []) {
    const key = item.type ? emergencyKeys[item.type] : undefined;
    const answer = item.questionAnswer === null || item.questionAnswer === undefined ? '' : String(item.questionAnswer).trim();
    if (key && answer) folded[key] = answer;
  }
  return Object.keys(folded).length > 0 ? JSON.stringify(folded) : null;
}

export function mapParticipantRow(
  participant: RaceRosterParticipant,
  context: RowContext & { eventId: number; subEventName: string | null },
): TableRow {
  const totals = participant.registrationTotals;
  const amountPaid = decimal(totals?.netRegistrationTotal ?? null);
  return {
    event_id: context.eventId,
    race_id: participant.subEventId,
    registration_id: participant.participantId,
    bib_number: participant.bibNumber === null || participant.bibNumber === undefined ? null : blankToNull(String(participant.bibNumber)),
    first_name: blankToNull(participant.firstName),
    last_name: blankToNull(participant.lastName),
    email: blankToNull(participant.profile?.email),
    phone: blankToNull(participant.profile?.phone),
    date_of_birth: blankToNull(participant.dob),
    gender: participant.gender === null || participant.gender === undefined ? null : genderCodes[participant.gender],
    address: JSON.stringify({
      line: blankToNull(participant.profile?.address),
      city: blankToNull(participant.city),
      region: participant.region?.code ?? null,
      country: participant.country?.code ?? null,
    }),
    emergency_contact: emergencyContact(participant),
    team_name: teamNameFor(participant.teamId ?? null),
    division: divisionFor(context.subEventName),
    registration_date: utc(participant.registrationDate),
    // Neither is in the API (field check §4): NULL rather than "registered" and a status inferred from the amount.
    registration_status: null,
    payment_status: null,
    amount_paid: amountPaid,
    additional_info: JSON.stringify({
      subEventId: participant.subEventId,
      uniqueParticipantId: participant.uniqueParticipantId ?? null,
      transactionId: participant.transactionId ?? null,
      teamId: participant.teamId ?? null,
      usatNumber: blankToNull(participant.usatNumber),
      age: participant.age ?? null,
      registrationQuestions: participant.registrationQuestions?.data ?? [],
      swag: participant.swag ?? [],
      netSwagTotal: decimal(totals?.netSwagTotal ?? null),
      bundleRegistration: participant.bundleRegistration ?? null,
      lastModifiedDate: utc(participant.lastModifiedDate),
    }),
    fetched_date: context.fetchedAt,
    credentials_used: context.accountLabel,
    timing_partner_id: context.timingPartnerId,
  };
}

