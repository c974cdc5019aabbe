import { z } from 'zod';
import { eventScopeSchema } from '../lookup/scope.ts';
import { providerNames } from '../providers/types.ts';
import { participantDetailColumns, participantIdentityColumns } from '../lookup/schemas.ts';

/*
 * The packet-pickup API shapes (handler names in pickup/handlers.ts, described in README.md).
 * Inputs are camelCase commands; rows are snake_case, exactly as the unified views name columns,
 * so a table column, a sort key and a CSV header are the same word.
 */

/** A runner as unified_participants shows them: the event's provider and that provider's stable id. */
export const participantRefSchema = z.object({
  provider: z.enum(providerNames),
  participantId: z.string().trim().min(1).max(100),
});
export type ParticipantRef = z.infer<typeof participantRefSchema>;

/** Who did it, for the audit trail; the station server fills it from the X-RaceDesk-Station header. */
export const stationNameSchema = z.string().trim().min(1).max(60).optional();

/**
 * A device's own id for an operation it may send more than once (queued while the station was
 * unreachable, replayed when it is back): the station applies each id once (pickup/device-operations.ts).
 */
export const opIdSchema = z.string().trim().min(8, 'An operation id has at least 8 characters.').max(100).optional();

export const bibSchema = z
  .string()
  .trim()
  .min(1, 'A bib number cannot be empty.')
  .max(20)
  .regex(/^[A-Za-z0-9-]+$/, 'A bib number may only hold letters, digits and "-".');

/** unified_participants plus the venue state migration 0050 adds to it. */
export const venueParticipantSchema = z.object({
  ...participantIdentityColumns,
  /** The bib the provider gave, when the crew reassigned it at the venue (else equal to bib_number). */
  registered_bib: z.string().nullable(),
  ...participantDetailColumns,
  event_name: z.string().nullable(),
  /** True for a day-of registration made at the venue (local_participants). */
  is_walk_up: z.boolean(),
  checked_in: z.boolean(),
  checked_in_at: z.string().nullable(),
  checked_in_by: z.string().nullable(),
});
export type VenueParticipant = z.infer<typeof venueParticipantSchema>;

export const changeKinds = ['check_in', 'undo_check_in', 'bib_change', 'walk_up', 'edit'] as const;

/** One row of participant_changes, with the runner's name for display. */
export const changeRowSchema = z.object({
  change_id: z.string(),
  source_provider: z.string(),
  event_id: z.string(),
  participant_id: z.string(),
  kind: z.enum(changeKinds),
  field: z.string().nullable(),
  old_value: z.string().nullable(),
  new_value: z.string().nullable(),
  station_name: z.string(),
  changed_at: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
});
export type ChangeRow = z.infer<typeof changeRowSchema>;

export const eventCountersSchema = z.object({
  provider: z.string(),
  eventId: z.string(),
  eventName: z.string().nullable(),
  registered: z.number().int(),
  checkedIn: z.number().int(),
  walkUps: z.number().int(),
});
export type EventCounters = z.infer<typeof eventCountersSchema>;

export const countersSchema = z.object({
  events: z.array(eventCountersSchema),
  total: z.object({ registered: z.number().int(), checkedIn: z.number().int(), walkUps: z.number().int() }),
});
export type Counters = z.infer<typeof countersSchema>;

export const bibRangeSchema = z.object({
  provider: z.string(),
  eventId: z.string(),
  eventName: z.string().nullable(),
  firstBib: z.number().int(),
  lastBib: z.number().int(),
  /** Bibs of the range nobody in the event holds yet. */
  free: z.number().int(),
});
export type BibRange = z.infer<typeof bibRangeSchema>;

/** Who already holds a bib in an event: what the "bib taken" warning shows. */
export const bibHolderSchema = z.object({
  provider: z.string(),
  participantId: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  bib: z.string(),
  isWalkUp: z.boolean(),
});
export type BibHolder = z.infer<typeof bibHolderSchema>;

// Handler inputs and outputs ---------------------------------------------------------------------

/** The card's fields in card order: what is handed over first, then what is read out, then the rest. */
export const cardFieldKeys = [
  'shirt_size',
  'giveaway',
  'wave',
  'race',
  'registration_option',
  'division',
  'team',
  'waiver',
  'emergency_contact',
  'special_requirements',
  'payment',
  'licence',
  'charity',
  'registration_status',
  /** Any other registration question, labelled with the question's own title. */
  'answer',
] as const;
export type CardFieldKey = (typeof cardFieldKeys)[number];

/** One labelled thing the volunteer hands over or reads out (card-fields.ts says where each comes from). */
export const cardFieldSchema = z.object({ key: z.enum(cardFieldKeys), label: z.string(), value: z.string() });
export type CardField = z.infer<typeof cardFieldSchema>;

/** The check-in a runner's state currently follows: what an undo must name. */
export const checkInRefSchema = z.object({ changeId: z.string(), stationName: z.string(), at: z.string() });

export const participantInput = participantRefSchema;
export const participantOutput = z.object({
  participant: venueParticipantSchema,
  /** Shirt size, wave, team, waiver, emergency contact... in the order the card shows them. */
  fields: z.array(cardFieldSchema),
  /** Null when not checked in. */
  checkIn: checkInRefSchema.nullable(),
  history: z.array(changeRowSchema),
});

export const checkInInput = participantRefSchema.extend({ stationName: stationNameSchema, opId: opIdSchema });
export const checkInOutput = z.object({
  /** True when someone else (or this station) had already checked the runner in: nothing was written. */
  alreadyCheckedIn: z.boolean(),
  by: z.string(),
  at: z.string(),
  /** The new participant_changes row, null when already checked in. */
  changeId: z.string().nullable(),
  counters: eventCountersSchema,
});

export const undoCheckInInput = participantRefSchema.extend({
  /** The check-in being undone (pickup.participant's checkIn.changeId): a different current check-in is refused. */
  checkInChangeId: z.string().trim().min(1, 'Name the check-in to undo (checkIn.changeId of pickup.participant).'),
  /** Set after the crew was asked and agreed to undo a check-in another station made. */
  confirmOtherStation: z.boolean().default(false),
  stationName: stationNameSchema,
});
export const undoCheckInOutput = z.object({
  /** False when the check-in was made by another station and confirmOtherStation was not set: nothing was written. */
  undone: z.boolean(),
  /** The check-in that was (or would be) undone: who made it and when. */
  checkIn: checkInRefSchema,
  changeId: z.string().nullable(),
  counters: eventCountersSchema,
});

export const changeBibInput = participantRefSchema.extend({
  newBib: bibSchema,
  /** Set after the crew saw the "bib taken" warning and chose to proceed anyway. */
  confirmTaken: z.boolean().default(false),
  stationName: stationNameSchema,
  opId: opIdSchema,
});
export const changeBibOutput = z.object({
  /** False when the bib is taken in the event and confirmTaken was not set: nothing was written. */
  changed: z.boolean(),
  oldBib: z.string().nullable(),
  newBib: z.string(),
  takenBy: z.array(bibHolderSchema),
  changeId: z.string().nullable(),
});

export const paymentMethods = ['cash', 'card', 'check', 'comp', 'online', 'other'] as const;

export const registerWalkUpInput = z.object({
  provider: z.enum(providerNames),
  eventId: z.string().trim().min(1),
  firstName: z.string().trim().min(1, 'First name is required.').max(100),
  lastName: z.string().trim().min(1, 'Last name is required.').max(100),
  gender: z.enum(['M', 'F', 'X']),
  dateOfBirth: z.iso.date('Date of birth must be YYYY-MM-DD.'),
  email: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(40).optional(),
  city: z.string().trim().max(100).optional(),
  state: z.string().trim().max(100).optional(),
  teamName: z.string().trim().max(100).optional(),
  shirtSize: z.string().trim().max(40).optional(),
  emergencyContactName: z.string().trim().max(100).optional(),
  emergencyContactPhone: z.string().trim().max(40).optional(),
  /** What the runner paid at the table, in the event's currency. */
  amountPaid: z.number().min(0, 'The amount paid cannot be negative.').max(100_000).multipleOf(0.01, 'The amount paid has at most two decimals.').optional(),
  paymentMethod: z.enum(paymentMethods).optional(),
  waiverAccepted: z.boolean().default(false),
  /** Omitted: the next free bib of the event's walk-up range. */
  bib: bibSchema.optional(),
  confirmTaken: z.boolean().default(false),
  /** Check the runner in at once (they are standing at the table). */
  checkIn: z.boolean().default(true),
  stationName: stationNameSchema,
});
export const registerWalkUpOutput = z.object({
  participant: venueParticipantSchema,
  changeId: z.string(),
  counters: eventCountersSchema,
});

export const nextFreeBibInput = z.object({ provider: z.enum(providerNames), eventId: z.string().trim().min(1) });
export const nextFreeBibOutput = z.object({
  /** Null when the event has no walk-up range or every bib of it is taken. */
  bib: z.string().nullable(),
  range: bibRangeSchema.nullable(),
});

export const setBibRangeInput = z
  .object({
    provider: z.enum(providerNames),
    eventId: z.string().trim().min(1),
    firstBib: z.number().int().min(0),
    lastBib: z.number().int().min(0),
  })
  .refine((r) => r.lastBib >= r.firstBib, { message: 'The last bib of the range must not be below the first.', path: ['lastBib'] })
  .refine((r) => r.lastBib - r.firstBib < 100_000, { message: 'A walk-up range holds at most 100,000 bibs.', path: ['lastBib'] });
export const setBibRangeOutput = bibRangeSchema;

export const bibRangesInput = z.object({ provider: z.enum(providerNames).optional(), eventId: z.string().optional() });
export const bibRangesOutput = z.array(bibRangeSchema);

export const countersInput = z.object({ provider: z.enum(providerNames).optional(), eventId: z.string().optional(), scope: eventScopeSchema.optional() });
export const countersOutput = countersSchema;

export const auditTrailInput = z.object({
  provider: z.enum(providerNames).optional(),
  participantId: z.string().optional(),
  eventId: z.string().optional(),
  kind: z.enum(changeKinds).optional(),
  stationName: z.string().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});
export const auditTrailOutput = z.object({ rows: z.array(changeRowSchema), total: z.number().int() });

export const deviceCopyInput = z.object({ scope: eventScopeSchema.optional() });
export const deviceCopyOutput = z.object({
  rows: z.array(venueParticipantSchema),
  /** False when the scope holds more runners than a device keeps (pickup/device-copy.ts). */
  complete: z.boolean(),
  takenAt: z.string(),
});
