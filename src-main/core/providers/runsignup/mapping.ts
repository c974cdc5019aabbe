import { z } from 'zod';
import type { TableRow } from '../types.ts';
import { lenientParse, type RecordIssue } from '../record-problems.ts';
import { isTimeZone, zonedToUtc } from '../zoned-time.ts';

/*
 * RunSignUp records -> rows of runsignup_events / runsignup_participants (migration 0001).
 * RunSignUp's v1 formats (../shared/providers/runsignup.md §1): booleans are "T"/"F", money is a
 * formatted string "$33.15", date-times are "M/D/YYYY HH:MM" in the race's own time zone (so we
 * keep them as local ISO text without a zone), participant last_modified is epoch seconds.
 */

export interface RowContext {
  /** Account label: who fetched the row. Never the key or secret. */
  accountLabel: string;
  timingPartnerId: number | null;
  /** When this fetch happened, ISO-8601 UTC. */
  fetchedAt: string;
}

// ---- value conversions --------------------------------------------------------------------------

const dateTimePattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (value: string | number) => String(value).padStart(2, '0');

/** "3/20/2019 09:00" -> "2019-03-20T09:00:00"; "03/20/2019" -> "2019-03-20"; null stays null. */
export function isoFromRunSignUpDate(value: string): string | null {
  const match = dateTimePattern.exec(value.trim());
  if (!match) return null;
  const [, month, day, year, hour, minute, second] = match;
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return null;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  return hour === undefined ? date : `${date}T${pad(hour)}:${minute}:${second ?? '00'}`;
}

/** A date of birth as "YYYY-MM-DD"; RunSignUp's dob format is not documented, so M/D/YYYY is accepted too. */
function isoDate(value: string): string | null {
  if (isoDatePattern.test(value)) return value;
  const iso = isoFromRunSignUpDate(value);
  return iso === null ? null : iso.slice(0, 10);
}

const moneyPattern = /^(-)?\$?(-)?([\d,]+(?:\.\d+)?)$/;

/** "$1,234.50" -> 1234.5, "-$5.00" -> -5. */
export function amountFromMoney(value: string): number | null {
  const match = moneyPattern.exec(value.trim());
  if (!match) return null;
  const digits = match[3];
  const amount = Number(digits.includes(',') ? digits.replaceAll(',', '') : digits);
  return match[1] || match[2] ? -amount : amount;
}

/** The unit words RunSignUp's free-text distances use, by the unit RaceDesk stores. */
const unitWords: ReadonlyArray<[RegExp, 'km' | 'mi' | 'm']> = [
  [/^(k|km|kms|kilometers?|kilometres?)$/i, 'km'],
  [/^(mi|mile|miles)$/i, 'mi'],
  [/^(m|meters?|metres?)$/i, 'm'],
];
const namedDistances: ReadonlyArray<[RegExp, { value: number; unit: 'km' | 'mi' | 'm' }]> = [
  [/^half[\s-]*marathon$/i, { value: 21.0975, unit: 'km' }],
  [/^marathon$/i, { value: 42.195, unit: 'km' }],
];

/**
 * A free-text distance as its number and unit: "5K" -> 5 km, "3.1 Miles" -> 3.1 mi, "400m" ->
 * 400 m, "Half Marathon" -> 21.0975 km. A bare number ("13.1") has no unit; text without a number
 * ("Fun Run") has neither.
 */
export function parseDistance(value: string | number | null | undefined): { value: number | null; unit: 'km' | 'mi' | 'm' | null } {
  if (typeof value === 'number') return { value, unit: null };
  const text = value?.trim() ?? '';
  const named = namedDistances.find(([pattern]) => pattern.test(text));
  if (named) return named[1];
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)/.exec(text);
  if (!match) return { value: null, unit: null };
  const unit = unitWords.find(([pattern]) => pattern.test(match[2]))?.[1] ?? null;
  return { value: Number(match[1]), unit };
}

// ---- zod schemas: what a record must look like for us to store it ------------------------------

const flag = z.enum(['T', 'F']);
const dateTime = z.string().refine((v) => isoFromRunSignUpDate(v) !== null, { message: 'is not a date "M/D/YYYY HH:MM"' });
const money = z.string().refine((v) => amountFromMoney(v) !== null, { message: 'is not an amount like "$30.00"' });
const optionalMoney = money.nullable().optional();
const id = z.number().int().positive();
const text = z.string().nullable().optional();

const address = z.looseObject({
  street: text,
  city: text,
  state: text,
  zipcode: text,
  country_code: text,
});

const user = z.looseObject({
  user_id: z.number().int().nullable().optional(),
  first_name: text,
  middle_name: text,
  last_name: text,
  email: text,
  address: address.nullable().optional(),
  dob: z
    .string()
    .refine((v) => isoDate(v) !== null, { message: 'is not a date "YYYY-MM-DD"' })
    .nullable()
    .optional(),
  gender: text,
  phone: text,
  profile_image_url: text,
});

export const participantSchema = z.looseObject({
  registration_id: id,
  event_id: id,
  rsu_transaction_id: z.number().int().nullable().optional(),
  transaction_id: z.union([z.number().int(), z.string()]).nullable().optional(),
  // Bibs arrive as strings in some races and numbers in others; null before assignment.
  bib_num: z.union([z.string(), z.number()]).nullable().optional(),
  chip_num: z.union([z.string(), z.number()]).nullable().optional(),
  age: z.number().int().nullable().optional(),
  registration_date: dateTime.nullable().optional(),
  last_modified: z.number().int().nonnegative().nullable().optional(),
  team_id: z.number().int().nullable().optional(),
  team_name: text,
  team_type_id: z.number().int().nullable().optional(),
  team_type: text,
  team_gender: text,
  team_bib_num: z.union([z.string(), z.number()]).nullable().optional(),
  imported: flag.nullable().optional(),
  race_fee: optionalMoney,
  offline_payment_amount: optionalMoney,
  processing_fee: optionalMoney,
  processing_fee_paid_by_user: optionalMoney,
  processing_fee_paid_by_race: optionalMoney,
  partner_fee: optionalMoney,
  affiliate_profit: optionalMoney,
  extra_fees: optionalMoney,
  amount_paid: optionalMoney,
  usatf_discount_amount_in_cents: optionalMoney,
  usatf_discount_additional_field: text,
  giveaway: text,
  giveaway_option_id: z.number().int().nullable().optional(),
  question_responses: z
    .array(z.looseObject({ question_id: z.union([z.string(), z.number()]), question_text: text, response: z.unknown() }))
    .optional(),
  participant_addons: z.array(z.looseObject({})).optional(),
  user: user.nullable().optional(),
});
export type RunSignUpParticipant = z.infer<typeof participantSchema>;

export const removedParticipantSchema = z.looseObject({
  registration_id: id,
  removed_reason: text,
  new_registration_id: z.number().int().nullable().optional(),
  last_modified: z.string().nullable().optional(),
});
export type RunSignUpRemovedParticipant = z.infer<typeof removedParticipantSchema>;

export const eventSchema = z.looseObject({
  event_id: id,
  race_event_days_id: z.number().int().nullable().optional(),
  name: text,
  details: text,
  start_time: dateTime.nullable().optional(),
  end_time: dateTime.nullable().optional(),
  age_calc_base_date: text,
  registration_opens: dateTime.nullable().optional(),
  event_type: text,
  distance: z.union([z.string(), z.number()]).nullable().optional(),
  volunteer: flag.nullable().optional(),
  require_dob: flag.nullable().optional(),
  require_phone: flag.nullable().optional(),
  giveaway: text,
});
export type RunSignUpEvent = z.infer<typeof eventSchema>;

// Events are read one by one (readRace), so an odd event costs only itself.
const raceSchema = z.looseObject({
  race_id: id,
  name: text,
  events: z.array(z.unknown()).nullable().optional(),
});
export interface RunSignUpRace {
  race_id: number;
  name?: string | null;
  events: RunSignUpEvent[];
  [field: string]: unknown;
}

// ---- rows ---------------------------------------------------------------------------------------

const bool = (value: 'T' | 'F' | null | undefined) => (value === 'T' ? 1 : value === 'F' ? 0 : null);
const orNull = <T>(value: T | null | undefined): T | null => (value === undefined ? null : value);
const moneyOrNull = (value: string | null | undefined) => (value == null ? null : amountFromMoney(value));
const dateOrNull = (value: string | null | undefined) => (value == null ? null : isoFromRunSignUpDate(value));
/** "All times in the API are in Eastern Time unless otherwise noted" (R7): registration dates are. */
export const runSignUpZone = 'America/New_York';
/** A RunSignUp date-time read in `zone` as an ISO instant in UTC; a bare date stays a date. */
const instantOrNull = (value: string | null | undefined, zone: string | null) => {
  const local = dateOrNull(value);
  if (local === null || local.length === 10 || zone === null) return local;
  return zonedToUtc(local, zone) ?? local;
};
const textOf = (value: string | number | null | undefined) => (value == null ? null : String(value));

/** Race names carry leading/trailing spaces in real data ("  Lakeside Turkey Trot"). */
export function cleanName(name: string | null | undefined, fallback = ''): string {
  return name?.trim() || fallback;
}

export function eventRow(race: RunSignUpRace, event: RunSignUpEvent, context: RowContext): TableRow {
  // Event times are in the race's own zone (R6); without one they stay wall-clock text.
  const zone = typeof race.timezone === 'string' && isTimeZone(race.timezone) ? race.timezone : null;
  const distance = parseDistance(event.distance);
  return {
    event_id: event.event_id,
    race_id: race.race_id,
    race_name: cleanName(race.name) || null,
    name: cleanName(event.name) || null,
    details: orNull(event.details),
    start_time: instantOrNull(event.start_time, zone),
    end_time: instantOrNull(event.end_time, zone),
    age_calc_base_date: event.age_calc_base_date ? isoDate(event.age_calc_base_date) : null,
    registration_opens: instantOrNull(event.registration_opens, zone),
    event_type: orNull(event.event_type),
    distance: distance.value,
    distance_unit: distance.unit,
    volunteer: bool(event.volunteer),
    require_dob: bool(event.require_dob),
    require_phone: bool(event.require_phone),
    giveaway: orNull(event.giveaway),
    fetched_date: context.fetchedAt,
    credentials_used: context.accountLabel,
    timing_partner_id: context.timingPartnerId,
  };
}

const teamFields = ['team_id', 'team_name', 'team_type_id', 'team_type', 'team_gender', 'team_bib_num'] as const;
const moneyFields = [
  'race_fee',
  'offline_payment_amount',
  'processing_fee',
  'processing_fee_paid_by_user',
  'processing_fee_paid_by_race',
  'partner_fee',
  'affiliate_profit',
  'extra_fees',
  'amount_paid',
  'usatf_discount_amount_in_cents',
] as const;
/** Fields that have a column or a JSON home of their own; everything else goes to additional_data. */
const mappedFields = new Set<string>([
  'registration_id',
  'event_id',
  'bib_num',
  'chip_num',
  'age',
  'registration_date',
  'last_modified',
  'rsu_transaction_id',
  'transaction_id',
  'user',
  ...teamFields,
  ...moneyFields,
]);

function jsonOrNull(value: Record<string, unknown>): string | null {
  return Object.values(value).some((v) => v !== null && v !== undefined) ? JSON.stringify(value) : null;
}

export function participantRow(raceId: number, record: RunSignUpParticipant, context: RowContext): TableRow {
  const u = record.user ?? {};
  const team: Record<string, unknown> = {};
  for (const f of teamFields) team[f] = orNull(record[f]);
  const payment: Record<string, unknown> = { rsu_transaction_id: orNull(record.rsu_transaction_id), transaction_id: orNull(record.transaction_id) };
  for (const f of moneyFields) payment[f] = moneyOrNull(record[f]);
  const additional: Record<string, unknown> = {};
  for (const key in record) {
    if (mappedFields.has(key)) continue;
    const value = record[key];
    additional[key] = key === 'imported' ? value === 'T' : value;
  }
  const fundraiser = (record as Record<string, unknown>).fundraiser_charity_name;
  return {
    race_id: raceId,
    event_id: record.event_id,
    registration_id: record.registration_id,
    user_id: orNull(u.user_id),
    first_name: orNull(u.first_name),
    middle_name: orNull(u.middle_name),
    last_name: orNull(u.last_name),
    email: orNull(u.email),
    address: u.address ? JSON.stringify(u.address) : null,
    dob: u.dob ? isoDate(u.dob) : null,
    gender: orNull(u.gender),
    phone: orNull(u.phone),
    profile_image_url: orNull(u.profile_image_url),
    bib_num: textOf(record.bib_num),
    chip_num: textOf(record.chip_num),
    age: orNull(record.age),
    registration_date: instantOrNull(record.registration_date, runSignUpZone),
    team_info: jsonOrNull(team),
    payment_info: jsonOrNull(payment),
    additional_data: jsonOrNull(additional),
    fetched_date: context.fetchedAt,
    credentials_used: context.accountLabel,
    timing_partner_id: context.timingPartnerId,
    race_fee: payment.race_fee as number | null,
    amount_paid: payment.amount_paid as number | null,
    team_name: orNull(record.team_name),
    // Only present when include_fundraisers=T returns it flat; the nested shape is undocumented.
    fundraiser_charity_name: typeof fundraiser === 'string' ? fundraiser : null,
    last_modified: orNull(record.last_modified),
  };
}

/** RunSignUp's "YYYY-MM-DD HH:MM:SS" (US Eastern) on removed registrations, as ISO UTC. */
const removedAtPattern = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

export function removedRow(raceId: number, eventId: number, record: RunSignUpRemovedParticipant, context: RowContext): TableRow {
  const at = removedAtPattern.exec(record.last_modified?.trim() ?? '');
  return {
    registration_id: record.registration_id,
    race_id: raceId,
    event_id: eventId,
    removed_reason: orNull(record.removed_reason),
    // 0 is how the list says "no new registration" (R3).
    new_registration_id: record.new_registration_id ? record.new_registration_id : null,
    removed_at: at ? zonedToUtc(`${at[1]}T${at[2]}`, runSignUpZone) : null,
    timing_partner_id: context.timingPartnerId,
    credentials_used: context.accountLabel,
    fetched_date: context.fetchedAt,
  };
}

/**
 * Reads one registration; an unreadable value becomes NULL and a registration without a
 * readable registration_id is skipped, both reported in `problems`.
 */
export function parseParticipant(raw: unknown, where: string, problems: RecordIssue[]): RunSignUpParticipant | null {
  return lenientParse(participantSchema, raw, { key: ['registration_id', 'event_id'], what: 'registration', where, problems });
}

export function parseRemovedParticipant(raw: unknown, where: string, problems: RecordIssue[]): RunSignUpRemovedParticipant | null {
  return lenientParse(removedParticipantSchema, raw, { key: ['registration_id'], what: 'removed registration', where, problems });
}

/** Reads one race and each of its events on its own: an odd event costs only itself. */
export function parseRace(raw: unknown, where: string, problems: RecordIssue[]): RunSignUpRace | null {
  const race = lenientParse(raceSchema, raw, { key: ['race_id'], what: 'race', where, problems });
  if (!race) return null;
  const events = (race.events ?? [])
    .map((event) => lenientParse(eventSchema, event, { key: ['event_id'], what: `event of race ${race.race_id}`, where, problems }))
    .filter((event): event is RunSignUpEvent => event !== null);
  return { ...race, events };
}
