import { z } from 'zod';
import { providerNames } from '../providers/types.ts';
import { venueParticipantSchema } from '../pickup/schemas.ts';

/*
 * Paged, sorted, filtered reads of the unified views for virtualized tables (100,000 rows):
 * every call returns one window {rows, total}. Sort columns are whitelisted per table, because
 * they are spliced into ORDER BY (everything else is a bound parameter).
 */
export const participantSortColumns = [
  'last_name', 'first_name', 'bib_number', 'source_provider', 'event_name', 'gender', 'age', 'city',
  'team_name', 'registration_date', 'checked_in', 'checked_in_at', 'is_walk_up',
] as const;
export const eventSortColumns = ['event_name', 'event_date', 'source_provider', 'race_name', 'registered', 'checked_in', 'walk_ups', 'fetched_date'] as const;
export const resultSortColumns = [
  'overall_place', 'last_name', 'first_name', 'bib_number', 'source_provider', 'event_name', 'gender', 'age',
  'results_time', 'results_gun_time', 'status',
] as const;

const sort = <T extends readonly [string, ...string[]]>(columns: T) =>
  z.object({ column: z.enum(columns), direction: z.enum(['asc', 'desc']).default('asc') });

const page = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
};

/** Free text: a bib (exact) or the start of a first name, last name or email, accent-insensitive. */
const search = z.string().trim().max(200).optional();

export const participantFilterSchema = z.object({
  provider: z.enum(providerNames).optional(),
  eventId: z.string().optional(),
  gender: z.enum(['M', 'F', 'X']).optional(),
  checkedIn: z.boolean().optional(),
  walkUp: z.boolean().optional(),
  search,
});
export const eventFilterSchema = z.object({ provider: z.enum(providerNames).optional(), search });
export const resultFilterSchema = z.object({
  provider: z.enum(providerNames).optional(),
  eventId: z.string().optional(),
  gender: z.enum(['M', 'F', 'X']).optional(),
  status: z.string().optional(),
  search,
});

export const browseParticipantsInput = z.object({
  ...page,
  sort: sort(participantSortColumns).optional(),
  filter: participantFilterSchema.default({}),
});
export const browseParticipantsOutput = z.object({ rows: z.array(venueParticipantSchema), total: z.number().int() });

/** One row of Browse › Events: a provider event, or one Race Roster sub-event (sub_event_id). */
export const eventRowSchema = z.object({
  source_provider: z.string(),
  event_id: z.string(),
  sub_event_id: z.string().nullable(),
  /** This row's name: "Lakeshore Tri › Relay" for a Race Roster sub-event. */
  event_name: z.string().nullable(),
  /** The whole event's name, as pickers and counters show it. */
  event_title: z.string().nullable(),
  event_date: z.string().nullable(),
  race_id: z.string().nullable(),
  race_name: z.string().nullable(),
  fetched_date: z.string().nullable(),
  credentials_used: z.string().nullable(),
  registered: z.number().int(),
  checked_in: z.number().int(),
  walk_ups: z.number().int(),
});
export type EventRow = z.infer<typeof eventRowSchema>;

export const browseEventsInput = z.object({ ...page, sort: sort(eventSortColumns).optional(), filter: eventFilterSchema.default({}) });
export const browseEventsOutput = z.object({ rows: z.array(eventRowSchema), total: z.number().int() });

/** What an event picker lists: each (provider, event) once, the unit check-ins, walk-ups and bibs belong to. */
export const eventChoiceSchema = z.object({
  source_provider: z.string(),
  event_id: z.string(),
  event_name: z.string().nullable(),
  event_date: z.string().nullable(),
});
export type EventChoice = z.infer<typeof eventChoiceSchema>;
export const eventChoicesInput = z.object({ provider: z.enum(providerNames).optional() });
export const eventChoicesOutput = z.object({ rows: z.array(eventChoiceSchema) });

export const resultRowSchema = z.object({
  source_provider: z.string(),
  event_id: z.string(),
  event_name: z.string().nullable(),
  participant_id: z.string(),
  bib_number: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  gender: z.string().nullable(),
  age: z.number().nullable(),
  /** Chip (net) time, 'H:MM:SS(.mmm)' as the provider gave it. */
  results_time: z.string().nullable(),
  results_gun_time: z.string().nullable(),
  overall_place: z.number().nullable(),
  status: z.string().nullable(),
  fetched_date: z.string().nullable(),
});
export type ResultRow = z.infer<typeof resultRowSchema>;

export const browseResultsInput = z.object({ ...page, sort: sort(resultSortColumns).optional(), filter: resultFilterSchema.default({}) });
export const browseResultsOutput = z.object({ rows: z.array(resultRowSchema), total: z.number().int() });

/** The same sort and filter as the table on screen, without paging: the export is what the crew sees. */
export const exportCsvInput = z.discriminatedUnion('table', [
  z.object({ table: z.literal('participants'), sort: sort(participantSortColumns).optional(), filter: participantFilterSchema.default({}) }),
  z.object({ table: z.literal('events'), sort: sort(eventSortColumns).optional(), filter: eventFilterSchema.default({}) }),
  z.object({ table: z.literal('results'), sort: sort(resultSortColumns).optional(), filter: resultFilterSchema.default({}) }),
]);
export const exportCsvOutput = z.object({
  /** Suggested file name, e.g. "participants-2026-05-01.csv". */
  filename: z.string(),
  csv: z.string(),
  rowCount: z.number().int(),
});
