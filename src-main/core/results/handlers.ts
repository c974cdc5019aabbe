import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import type { Core } from '../core.ts';
import { resolveEvent } from './event-ref.ts';
import { acceptImport, automaticMapping, importInputSchema, planImport, type ImportPlan } from './import.ts';
import { assignHeld, correctHeld, dismissHeld, heldResolutions, importContextOf, listHeld, type HeldRow } from './held.ts';
import { holdKinds } from './hold-rules.ts';
import { loadStartList, lynxFiles, startListCsv } from './start-list.ts';
import { parseTimingFile } from './timing-file.ts';
import { listResultsEvents } from './event-list.ts';
import { listResults } from './results-list.ts';
import { resultsToCsv } from './export.ts';
import { eventResultSettingsSchema, readEventResultSettings, writeEventResultSettings } from './event-settings.ts';
import { recomputeEventPlacings } from './event-placings.ts';
import { listSavedMappings } from './saved-mappings.ts';
import { columnMappingSchema } from './mapping.ts';
import { resultStatuses } from './status.ts';
import { sideBySide } from './side-by-side.ts';
import { publishToRunSignUp } from './publish-runsignup.ts';
import { displayRaceTime, raceTimeDigits } from './time.ts';
import { providerHasAgeBaseDate } from './races.ts';
import { buildPrintable, printDocuments } from './printable.ts';
import { RaceDeskError } from '../errors.ts';
import { resultsWatchStatus, resultsWatchStatusSchema, resultsWatchTargetSchema, startResultsWatch, stopResultsWatch } from './results-watch.ts';

const eventInput = { event: z.string().min(1), provider: z.string().min(1).optional() };
/** A race (distance) of the event, by the provider's race id. */
const raceInput = z.string().min(1).optional();

const eventSchema = z.object({
  sourceProvider: z.string(),
  eventId: z.string(),
  eventName: z.string().nullable(),
  eventDate: z.string().nullable(),
});

const placeSchema = z.number().int().nullable();

const listRowSchema = z.object({
  participant_id: z.string(),
  race_id: z.string().nullable(),
  race_name: z.string().nullable(),
  bib_number: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  gender: z.string().nullable(),
  age: z.number().int().nullable(),
  age_group: z.string().nullable(),
  time: z.string(),
  chip_time: z.string(),
  gun_time: z.string(),
  splits: z.array(z.object({ name: z.string(), time: z.string() })),
  overall_place: placeSchema,
  gender_place: placeSchema,
  age_group_place: placeSchema,
  status: z.enum(resultStatuses),
});

const previewSchema = z.object({
  event: eventSchema,
  fileName: z.string(),
  format: z.string(),
  headers: z.array(z.string()),
  mapping: columnMappingSchema,
  mappingSource: z.string(),
  counts: z.object({ rows: z.number(), new: z.number(), update: z.number(), unchanged: z.number(), noResult: z.number(), repeats: z.number(), problemRows: z.number() }),
  problems: z.array(z.object({ line: z.number(), bib: z.string(), reason: z.string() })),
  /** Problems past the listed ones (at most maxListedProblems are listed). */
  unlistedProblems: z.number(),
  rows: z.array(
    z.object({
      line: z.number(),
      bib: z.string(),
      outcome: z.enum(['new', 'update', 'unchanged', 'no result', 'repeat', 'problem']),
      participant_id: z.string().nullable(),
      name: z.string().nullable(),
      chip_time: z.string(),
      gun_time: z.string(),
      status: z.string().nullable(),
    }),
  ),
});

function previewReport(plan: ImportPlan): z.input<typeof previewSchema> {
  const count = (outcome: string) => plan.rows.filter((row) => row.outcome === outcome).length;
  const digits = raceTimeDigits(plan.rows.flatMap((row) => [row.result?.chipTimeMs ?? null, row.result?.gunTimeMs ?? null]));
  return {
    event: plan.event,
    fileName: plan.fileName,
    format: plan.format,
    headers: plan.headers,
    mapping: plan.mapping,
    mappingSource: plan.mappingSource,
    counts: { rows: plan.rows.length, new: count('new'), update: count('update'), unchanged: count('unchanged'), noResult: count('no result'), repeats: count('repeat'), problemRows: count('problem') },
    problems: plan.problems,
    unlistedProblems: plan.unlistedProblems,
    rows: plan.rows.map((row) => ({
      line: row.line,
      bib: row.bib,
      outcome: row.outcome,
      participant_id: row.participantId,
      name: row.name,
      chip_time: displayRaceTime(row.result?.chipTimeMs ?? null, digits),
      gun_time: displayRaceTime(row.result?.gunTimeMs ?? null, digits),
      status: row.result?.status ?? null,
    })),
  };
}

const heldRowSchema = z.object({
  id: z.number().int(),
  file_name: z.string(),
  line: z.number().int(),
  bib: z.string(),
  kind: z.enum(holdKinds),
  reasons: z.array(z.string()),
  chip_time: z.string(),
  gun_time: z.string(),
  status: z.string().nullable(),
  /** The line's cells as the file has them (by the file's column names), and the crew's correction. */
  cells: z.record(z.string(), z.string()),
  corrected_cells: z.record(z.string(), z.string()).nullable(),
  held_at: z.string(),
  resolution: z.enum(heldResolutions).nullable(),
  participant_id: z.string().nullable(),
  resolved_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
});

function heldReport(row: HeldRow): z.input<typeof heldRowSchema> {
  const digits = raceTimeDigits([row.read.chipTimeMs, row.read.gunTimeMs]);
  return {
    id: row.id,
    file_name: row.fileName,
    line: row.line,
    bib: row.bib,
    kind: row.kind,
    reasons: row.reasons,
    chip_time: displayRaceTime(row.read.chipTimeMs, digits),
    gun_time: displayRaceTime(row.read.gunTimeMs, digits),
    status: row.read.status,
    cells: row.cells,
    corrected_cells: row.correctedCells,
    held_at: row.heldAt,
    resolution: row.resolution,
    participant_id: row.participantId,
    resolved_by: row.resolvedBy,
    resolved_at: row.resolvedAt,
  };
}

const heldIdInput = { id: z.number().int().positive(), stationName: z.string().min(1).optional() };

/** A held row resolved: the event's results changed (or, dismissed, its list of held rows). */
function resolvedHeld(core: Core, row: HeldRow) {
  core.events.emit('data.changed', { area: 'results' });
  return heldReport(row);
}

export const resultsHandlers = {
  'results.events': defineHandler({
    input: z.object({}),
    output: z.array(
      z.object({
        source_provider: z.string(),
        event_id: z.string(),
        event_name: z.string().nullable(),
        event_date: z.string().nullable(),
        race_name: z.string().nullable(),
        crew_results: z.number(),
      }),
    ),
    run: (_input, core) => listResultsEvents(core.db),
  }),
  /** A file's columns and the mapping it would get without being told, for the mapping dialog. */
  'results.inspect': defineHandler({
    input: z.object({ fileName: z.string().min(1), content: z.string() }),
    output: z.object({ format: z.string(), headers: z.array(z.string()), rows: z.number(), mapping: columnMappingSchema.nullable(), mappingSource: z.string().nullable() }),
    run: (input, core) => {
      const table = parseTimingFile(input.fileName, input.content);
      const automatic = automaticMapping(core.db, table);
      return { format: table.format, headers: table.headers, rows: table.rows.length, mapping: automatic?.mapping ?? null, mappingSource: automatic?.source ?? null };
    },
  }),
  /** Reads a timing export and reports row by row what an import would do; writes nothing. */
  'results.preview': defineHandler({
    input: importInputSchema.omit({ saveMappingAs: true }),
    output: previewSchema,
    run: (input, core) => previewReport(planImport(core.db, input)),
  }),
  /** Imports the file: every clean row, holding the others with their reasons; strict: every row or, if any row has a problem, none. */
  'results.accept': defineHandler({
    input: importInputSchema.extend({ stationName: z.string().min(1).optional(), strict: z.boolean().optional() }),
    output: z.object({ importId: z.string(), written: z.number(), unchanged: z.number(), held: z.number(), alreadyHeld: z.number(), placesChanged: z.number() }),
    run: (input, core) => {
      const accepted = acceptImport(core.db, input, importContextOf(core, input.stationName));
      core.events.emit('data.changed', { area: 'results' });
      return accepted;
    },
  }),
  /** Watches a folder on this laptop for the event's timing files (the Results screen's switch), also after a restart. */
  'results.watchStart': defineHandler({
    input: resultsWatchTargetSchema,
    output: resultsWatchStatusSchema,
    run: (input, core) => startResultsWatch(core, input),
  }),
  'results.watchStop': defineHandler({
    input: z.object({}),
    output: resultsWatchStatusSchema,
    run: (_input, core) => stopResultsWatch(core),
  }),
  'results.watchStatus': defineHandler({
    input: z.object({}),
    output: resultsWatchStatusSchema,
    run: (_input, core) => resultsWatchStatus(core),
  }),
  /** The event's held rows: open ones, or with `all` the resolved ones too (after the open ones). */
  'results.held': defineHandler({
    input: z.object({ ...eventInput, all: z.boolean().optional() }),
    output: z.object({ event: eventSchema, open: z.number(), rows: z.array(heldRowSchema) }),
    run: (input, core) => {
      const event = resolveEvent(core.db, input.event, input.provider);
      const rows = listHeld(core.db, event, { all: input.all });
      return { event, open: rows.filter((row) => row.resolution === null).length, rows: rows.map(heldReport) };
    },
  }),
  /** Writes a held row as this runner's result (a missing, mistyped or shared bib). */
  'results.held.assign': defineHandler({
    input: z.object({ ...heldIdInput, participantId: z.string().min(1) }),
    output: heldRowSchema,
    run: (input, core) => resolvedHeld(core, assignHeld(core.db, input, importContextOf(core, input.stationName))),
  }),
  /** Corrects a held row's bib, times or status and writes it; refused, changing nothing, while it still has a problem. */
  'results.held.correct': defineHandler({
    input: z
      .object({ ...heldIdInput, bib: z.string().max(40).optional(), chipTime: z.string().max(40).optional(), gunTime: z.string().max(40).optional(), status: z.string().max(40).optional() })
      .refine((input) => [input.bib, input.chipTime, input.gunTime, input.status].some((value) => value !== undefined), 'Give the corrected bib, chip time, gun time or status.'),
    output: heldRowSchema,
    run: (input, core) => resolvedHeld(core, correctHeld(core.db, input, importContextOf(core, input.stationName))),
  }),
  /** Sets a held row aside; it stays in the list of resolved rows. */
  'results.held.dismiss': defineHandler({
    input: z.object(heldIdInput),
    output: heldRowSchema,
    run: (input, core) => resolvedHeld(core, dismissHeld(core.db, input, importContextOf(core, input.stationName))),
  }),
  /** Placed results; events with several races (ChronoTrack, Race Roster) list race by race, or one race with `race`. */
  'results.list': defineHandler({
    input: z.object({ ...eventInput, by: z.enum(['overall', 'gender', 'age']).optional(), search: z.string().max(200).optional(), race: raceInput }),
    output: z.object({
      event: eventSchema,
      placeBy: z.enum(['chip', 'gun']),
      splitNames: z.array(z.string()),
      races: z.array(z.object({ race_id: z.string(), race_name: z.string().nullable(), results: z.number() })),
      race: z.string().nullable(),
      rows: z.array(listRowSchema),
    }),
    run: (input, core) => listResults(core.db, resolveEvent(core.db, input.event, input.provider), { by: input.by, search: input.search, race: input.race }),
  }),
  'results.exportCsv': defineHandler({
    input: z.object({ ...eventInput, race: raceInput }),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number() }),
    run: (input, core) => {
      const list = listResults(core.db, resolveEvent(core.db, input.event, input.provider), { race: input.race });
      const raceName = list.race === null ? null : (list.races.find((r) => r.race_id === list.race)?.race_name ?? list.race);
      const title = [list.event.eventName ?? list.event.eventId, raceName].filter(Boolean).join(' ');
      const slug = title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
      return { fileName: `${slug || 'results'}-results.csv`, csv: resultsToCsv(list), rows: list.rows.length };
    },
  }),
  'results.compare': defineHandler({
    input: z.object(eventInput),
    output: z.array(
      z.object({
        participant_id: z.string(),
        bib_number: z.string().nullable(),
        first_name: z.string().nullable(),
        last_name: z.string().nullable(),
        results: z.array(z.object({ source_provider: z.string(), time: z.string().nullable(), gun_time: z.string().nullable(), overall_place: placeSchema, status: z.string().nullable() })),
      }),
    ),
    run: (input, core) => sideBySide(core.db, resolveEvent(core.db, input.event, input.provider)),
  }),
  'results.settings.get': defineHandler({
    input: z.object(eventInput),
    output: eventResultSettingsSchema,
    run: (input, core) => readEventResultSettings(core.db, resolveEvent(core.db, input.event, input.provider)),
  }),
  /** Changes how the event places and recomputes its places (the hub gets the new ones). */
  'results.settings.set': defineHandler({
    input: z.object({ ...eventInput, ...eventResultSettingsSchema.partial().shape }),
    output: eventResultSettingsSchema.extend({ placesChanged: z.number() }),
    run: (input, core) => {
      const result = core.db
        .transaction(() => {
          const event = resolveEvent(core.db, input.event, input.provider);
          const current = readEventResultSettings(core.db, event);
          const next = {
            placeBy: input.placeBy ?? current.placeBy,
            ageBrackets: input.ageBrackets ?? current.ageBrackets,
            ageBasis: input.ageBasis ?? current.ageBasis,
            excludeOverallPlaces: input.excludeOverallPlaces ?? current.excludeOverallPlaces,
          };
          if (next.ageBasis === 'provider_date' && !providerHasAgeBaseDate(event.sourceProvider)) {
            throw new RaceDeskError(
              'invalid_input',
              `${event.sourceProvider} events carry no age calculation date; use race_day or year_end for ${event.eventName ?? event.eventId}.`,
            );
          }
          writeEventResultSettings(core.db, event, next);
          return { ...next, placesChanged: recomputeEventPlacings(core.db, event) };
        })
        .immediate();
      core.events.emit('data.changed', { area: 'results' });
      return result;
    },
  }),
  /** A results sheet, award lists or a packet-pickup list, for the print view and the PDF (printable.ts). */
  'results.printable': defineHandler({
    input: z.object({
      ...eventInput,
      document: z.enum(printDocuments),
      race: raceInput,
      bibFrom: z.number().int().min(0).optional(),
      bibTo: z.number().int().min(0).optional(),
      top: z.number().int().min(1).max(100).optional(),
      ageGroupTop: z.number().int().min(1).max(100).optional(),
    }),
    output: z.object({
      document: z.enum(printDocuments),
      title: z.string(),
      subtitle: z.string(),
      columns: z.array(z.object({ label: z.string(), align: z.enum(['left', 'right']), width: z.number() })),
      groups: z.array(z.object({ title: z.string().nullable(), newPage: z.boolean(), rows: z.array(z.array(z.string())) })),
      notes: z.array(z.string()),
      fileName: z.string(),
      printedAt: z.string(),
    }),
    run: ({ event, provider, ...options }, core) => buildPrintable(core.db, resolveEvent(core.db, event, provider), options),
  }),
  /** The event's start list for the timing system: FinishLynx lynx.ppl and lynx.evt, or a generic CSV. */
  'startlist.export': defineHandler({
    input: z.object({ ...eventInput, format: z.enum(['lynx', 'csv']) }),
    output: z.object({ competitors: z.number(), files: z.array(z.object({ name: z.string(), content: z.string() })) }),
    run: (input, core) => {
      const event = resolveEvent(core.db, input.event, input.provider);
      const entries = loadStartList(core.db, event);
      return { competitors: entries.length, files: input.format === 'lynx' ? lynxFiles(event, entries) : [startListCsv(entries)] };
    },
  }),
  /** The event's placed results into its RunSignUp result set (the same set again on a re-publish); progress as 'results.publishProgress'. */
  'results.publish': defineHandler({
    input: z.object(eventInput),
    output: z.object({
      event: eventSchema,
      raceId: z.string(),
      resultSetId: z.string(),
      replaced: z.boolean(),
      rows: z.number(),
      accepted: z.number(),
      rejected: z.array(z.object({ label: z.string(), message: z.string() })),
      notPlaced: z.number(),
    }),
    run: (input, core) =>
      publishToRunSignUp(core, input, ({ sent, total }) =>
        core.events.emit('results.publishProgress', { provider: 'runsignup', eventId: input.event, sent, total }),
      ),
  }),
  'results.mappings': defineHandler({
    input: z.object({}),
    output: z.array(z.object({ name: z.string(), format: z.string(), headerSignature: z.string(), mapping: columnMappingSchema, updatedAt: z.string() })),
    run: (_input, core) => listSavedMappings(core.db),
  }),
};
