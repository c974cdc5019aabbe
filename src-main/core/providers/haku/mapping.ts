import { z } from 'zod';
import { utcInstant } from '../zoned-time.ts';
import type { TableRow } from '../types.ts';
import { nationalityFor, naiveTimestampsAreUtc, paymentStatusFor, specialRequirementsFor } from './assumptions.ts';

/*
 * Haku API records (../shared/providers/haku.md §2 and §5) -> haku_events and haku_participants
 * rows. A participant row is built from the registration detail (DOB, phone, address, bib are
 * only there) with the list summary as fallback for names and e-mail.
 */

/** An instant as the store keeps it: ISO-8601 in UTC (Haku's times without an offset: see naiveTimestampsAreUtc). */
export const toUtcIso = (value: string): string | null => utcInstant(value, naiveTimestampsAreUtc ? 'utc' : null);

const instant = z.string().refine((v) => toUtcIso(v) !== null, 'is not an ISO-8601 date-time');
const optionalInstant = instant.nullish();
const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).nullish();
/**
 * Observed ids are 20-hex strings, sometimes with a "-slug" tail, but Project88Hub reads them as
 * opaque text (field check §6), so any non-empty id is taken.
 */
const eventId = z.union([z.string().trim().min(1), z.number().transform(String)]);
/** "5K", "10 km", "13.1 mi", "half", "marathon" (the spellings Project88Hub's adapter parses) -> number + unit. */
const namedDistances: Record<string, { value: number; unit: string }> = {
  half: { value: 21.0975, unit: 'km' },
  'half marathon': { value: 21.0975, unit: 'km' },
  marathon: { value: 42.195, unit: 'km' },
};
export function readDistance(value: string): { value: number; unit: string | null } | null {
  const named = namedDistances[value.trim().toLowerCase()];
  if (named) return named;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return null;
  return { value: Number(match[1]), unit: match[2] ? match[2].toLowerCase() : null };
}
const distance = z
  .union([z.number(), z.string().refine((v) => readDistance(v) !== null, 'is not a distance like "5K" or "13.1 mi"')])
  .nullish();

export const eventSchema = z.object({
  id: eventId,
  name: z.string(),
  event_date: optionalInstant,
  event_end_date: optionalInstant,
  time_zone: z.string().nullish(),
  location: z
    .object({ name: z.string().nullish(), city: z.string().nullish(), state: z.string().nullish(), country: z.string().nullish() })
    .nullish(),
  // The live API's integrations read the venue flat (field check §6, H1); the nested form is the reference's.
  location_name: z.string().nullish(),
  location_city: z.string().nullish(),
  location_state: z.string().nullish(),
  location_country: z.string().nullish(),
  event_type: z.string().nullish(),
  distance,
  distance_unit: z.string().nullish(),
  registration_limit: z.number().int().nullish(),
  base_price: amount,
  currency: z.string().nullish(),
  status: z.string().nullish(),
});
export type HakuEvent = z.output<typeof eventSchema>;

const team = z.union([z.object({ name: z.string().nullish() }).passthrough(), z.string()]).nullish();

export const summarySchema = z.object({
  registration_number: z.union([z.string().min(1), z.number().transform(String)]),
  person_full_name: z.string().nullish(),
  email: z.string().nullish(),
  is_cancelled: z.boolean().nullish(),
  registered_at: optionalInstant,
  updated_at: optionalInstant,
});
export type HakuSummary = z.output<typeof summarySchema>;

export const detailSchema = z.object({
  registration_number: z.union([z.string().min(1), z.number().transform(String)]),
  created_at: optionalInstant,
  updated_at: optionalInstant,
  is_cancelled: z.boolean().nullish(),
  transaction_amount: amount,
  payment_status: z.string().nullish(),
  special_requirements: z.string().nullish(),
  emergency_contact_name: z.string().nullish(),
  emergency_contact_phone_number: z.string().nullish(),
  emergency_contact_relationship: z.string().nullish(),
  shirt_size_name: z.string().nullish(),
  team,
  club: team,
  additional_questions: z.array(z.object({ question: z.string().nullish(), answer: z.unknown() })).nullish(),
  participant: z.object({
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    // A time part ("1985-03-02 00:00:00") is dropped; the date is what counts.
    dob: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+Z?)?$/, 'is not a YYYY-MM-DD date').transform((v) => v.slice(0, 10)), z.literal('')]).nullish(),
    gender: z.string().nullish(),
    nationality: z.string().nullish(),
    address: z
      .object({ city: z.string().nullish(), state: z.string().nullish(), country: z.string().nullish() })
      .passthrough()
      .nullish(),
  }).nullish(),
  event_categories: z
    .array(
      z
        .object({
          name: z.string().nullish(),
          tag_number: z.union([z.string(), z.number()]).nullish(),
          chip_number: z.union([z.string(), z.number()]).nullish(),
          wave_name: z.string().nullish(),
          corral_name: z.string().nullish(),
        })
        .passthrough(),
    )
    .nullish(),
});
export type HakuRegistration = z.output<typeof detailSchema>;

export interface RowContext {
  accountLabel: string;
  timingPartnerId: number | null;
  fetchedAt: string;
}

const text = (value: string | null | undefined) => (value === null || value === undefined || value.trim() === '' ? null : value.trim());
const utc = (value: string | null | undefined) => (value ? toUtcIso(value) : null);
const kilometresPer: Record<string, number> = { km: 1, k: 1, m: 0.001, mi: 1.609344, mile: 1.609344, miles: 1.609344 };

function distanceKm(event: HakuEvent): number | null {
  if (event.distance === null || event.distance === undefined) return null;
  const read = typeof event.distance === 'number' ? { value: event.distance, unit: null } : readDistance(event.distance);
  if (read === null) return null;
  const factor = kilometresPer[(event.distance_unit ?? read.unit ?? 'km').trim().toLowerCase()];
  return factor === undefined ? null : Math.round(read.value * factor * 1000) / 1000;
}

export function mapEventRow(event: HakuEvent, context: RowContext): TableRow {
  const where = event.location;
  // haku_events.location is plain text in the hub schema: the venue and town as a crew reads them.
  const location = [
    where?.name ?? event.location_name,
    where?.city ?? event.location_city,
    where?.state ?? event.location_state,
    where?.country ?? event.location_country,
  ]
    .map((part) => text(part))
    .filter(Boolean)
    .join(', ');
  return {
    event_id: event.id,
    event_name: event.name,
    start_date: utc(event.event_date),
    end_date: utc(event.event_end_date),
    location: location || null,
    event_type: text(event.event_type),
    distance: distanceKm(event),
    max_participants: event.registration_limit ?? null,
    registration_fee: event.base_price ?? null,
    currency: text(event.currency),
    status: text(event.status),
    fetched_date: context.fetchedAt,
    credentials_used: context.accountLabel,
    timing_partner_id: context.timingPartnerId,
  };
}

/** "Dana Whitfield-Okafor" -> ["Dana", "Whitfield-Okafor"]; the summary only has the full name. */
export function splitFullName(fullName: string | null | undefined): [string | null, string | null] {
  const name = text(fullName);
  if (!name) return [null, null];
  const cut = name.lastIndexOf(' ');
  return cut < 0 ? [name, null] : [name.slice(0, cut).trim(), name.slice(cut + 1).trim()];
}

function teamName(value: HakuRegistration['team']): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? text(value) : text(value.name);
}

export function mapParticipantRow(
  detail: HakuRegistration,
  summary: HakuSummary | null,
  context: RowContext & { eventId: string },
): TableRow {
  const person = detail.participant ?? {};
  const [summaryFirst, summaryLast] = splitFullName(summary?.person_full_name);
  const category = detail.event_categories?.[0];
  const tag = category?.tag_number;
  const contact = {
    name: text(detail.emergency_contact_name),
    phone: text(detail.emergency_contact_phone_number),
    relationship: text(detail.emergency_contact_relationship),
  };
  return {
    event_id: context.eventId,
    participant_id: detail.registration_number,
    bib_number: tag === null || tag === undefined ? null : text(String(tag)),
    chip_number: category?.chip_number === null || category?.chip_number === undefined ? null : text(String(category.chip_number)),
    wave: text(category?.wave_name),
    corral: text(category?.corral_name),
    first_name: text(person.first_name) ?? summaryFirst,
    last_name: text(person.last_name) ?? summaryLast,
    email: text(person.email) ?? text(summary?.email),
    phone: text(person.phone),
    date_of_birth: text(person.dob),
    gender: text(person.gender),
    nationality: nationalityFor(person),
    emergency_contact: Object.values(contact).some((v) => v !== null) ? JSON.stringify(contact) : null,
    team_affiliation: teamName(detail.team) ?? teamName(detail.club),
    category: text(category?.name),
    registration_date: utc(detail.created_at) ?? utc(summary?.registered_at),
    payment_status: paymentStatusFor({ ...detail, is_cancelled: detail.is_cancelled ?? summary?.is_cancelled }),
    amount_paid: detail.transaction_amount ?? null,
    special_requirements: specialRequirementsFor(detail),
    shirt_size: text(detail.shirt_size_name),
    city: text(person.address?.city),
    state: text(person.address?.state),
    fetched_date: context.fetchedAt,
    credentials_used: context.accountLabel,
    timing_partner_id: context.timingPartnerId,
  };
}

