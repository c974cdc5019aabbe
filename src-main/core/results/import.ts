import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RaceDeskError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { resolveEvent, type EventRef } from './event-ref.ts';
import { participantsByBib, type EventParticipant } from './event-participants.ts';
import { loadCrewResults, writeCrewResult, type CrewResult } from './crew-results-store.ts';
import { holdRows, matchHeldResults } from './held.ts';
import { holdOf, lineSignature, type Hold } from './hold-rules.ts';
import { fullName, mergeResult, sameResult } from './line-result.ts';
import { recomputeEventPlacings } from './event-placings.ts';
import { readEventResultSettings } from './event-settings.ts';
import { loadEntrants } from './entrants.ts';
import { checkMappingAgainst, columnMappingSchema, detectMapping, headerSignature, lifMapping, type ColumnMapping } from './mapping.ts';
import { findMappingForHeaders, findSavedMapping, listSavedMappings, saveMapping } from './saved-mappings.ts';
import { bibKey, readResultLine, type ResultLine } from './result-row.ts';
import { parseTimingFile } from './timing-file.ts';
import type { TimingTable } from './timing-table.ts';

/*
 * Importing a timing export is two steps: a preview that reports, row by row, what would be
 * written and what is wrong; and an accept that repeats the same plan inside one transaction,
 * writes every clean row and holds the others with their reasons (held.ts) for the crew to
 * assign, correct or dismiss; or, strict, writes everything or, if any row has a problem, nothing.
 * The accept takes the file again rather than a preview id, so the CLI, the station, a watched
 * folder and a restarted app all behave the same.
 */
export const importInputSchema = z.object({
  /** The provider's event id, as the unified views show it. */
  event: z.string().min(1),
  provider: z.string().min(1).optional(),
  fileName: z.string().min(1),
  content: z.string(),
  /** A mapping saved earlier, by name. */
  mappingName: z.string().min(1).optional(),
  /** A mapping given in full (the crew's choice in the mapping dialog). */
  mapping: columnMappingSchema.optional(),
  /** Accept only: remember the mapping used under this name. */
  saveMappingAs: z.string().min(1).max(100).optional(),
});
export type ImportInput = z.output<typeof importInputSchema>;

/** 'repeat': the same bib with the same result on an earlier line; it counts once. */
export type RowOutcome = 'new' | 'update' | 'unchanged' | 'no result' | 'repeat' | 'problem';

export interface PlannedRow {
  line: number;
  bib: string;
  outcome: RowOutcome;
  participantId: string | null;
  name: string | null;
  /** The result as it would be stored (before places are recomputed). */
  result: CrewResult | null;
  /** Problem rows only. */
  hold: Hold | null;
  /** What the line says, and its mapped cells as the file has them (kept with a held row). */
  read: ResultLine;
  cells: Record<string, string>;
}

export interface RowProblem {
  line: number;
  bib: string;
  reason: string;
}

export interface ImportPlan {
  event: EventRef;
  fileName: string;
  format: TimingTable['format'];
  headers: string[];
  mapping: ColumnMapping;
  /** Where the mapping came from, for the report ("saved mapping RunScore", "detected from the headers"). */
  mappingSource: string;
  rows: PlannedRow[];
  /** The first maxListedProblems problems, in file order. */
  problems: RowProblem[];
  /** Problems past those: counted, not listed, so a file of garbage cannot fill the station's memory. */
  unlistedProblems: number;
}

export const maxListedProblems = 500;

class ProblemList {
  readonly listed: RowProblem[] = [];
  unlisted = 0;
  add(problem: RowProblem): void {
    if (this.listed.length < maxListedProblems) this.listed.push(problem);
    else this.unlisted++;
  }
}

export function planImport(db: Db, input: ImportInput): ImportPlan {
  const event = resolveEvent(db, input.event, input.provider);
  const table = parseTimingFile(input.fileName, input.content);
  const { mapping, source } = chooseMapping(db, input, table);
  checkMappingAgainst(mapping, table);

  const lines = table.rows.map((row) => ({ read: readResultLine(row, mapping), cells: mappedCells(row.cells, mapping) }));
  /*
   * A bib's lines with distinct results; an identical repeat (a timer's double read, the same
   * export pasted twice) is noted and counts once. A file of 50,000 copies of one line gives one
   * result, not 50,000 problems.
   */
  const linesByBib = new Map<string, number[]>();
  const repeats = new Set<number>();
  const seen = new Set<string>();
  for (const { read } of lines) {
    if (read.bib === '') continue;
    const signature = lineSignature(read);
    if (seen.has(signature)) {
      repeats.add(read.line);
      continue;
    }
    seen.add(signature);
    const key = bibKey(read.bib);
    const same = linesByBib.get(key);
    if (same) same.push(read.line);
    else linesByBib.set(key, [read.line]);
  }
  // Only the file's bibs: memory follows the file's distinct bibs, not the event's size.
  const participants = participantsByBib(db, event, new Set(linesByBib.keys()));
  const matched = new Set([...participants.values()].flat().map((participant) => participant.participantId));
  const existing = new Map(loadCrewResults(db, event).map((result) => [result.participantId, result]));
  const entrants = loadEntrants(db, event, readEventResultSettings(db, event).ageBasis, matched);

  const problems = new ProblemList();
  const rows: PlannedRow[] = lines.map(({ read: line, cells }) => {
    const key = bibKey(line.bib);
    const matches = line.bib === '' ? [] : (participants.get(key) ?? []);
    const participant = matches.length === 1 ? matches[0] : null;
    const planned = { line: line.line, bib: line.bib, participantId: participant?.participantId ?? null, name: participant && fullName(participant), read: line, cells };
    if (repeats.has(line.line)) return { ...planned, outcome: 'repeat', result: null, hold: null };
    const sameBibLines = linesByBib.get(key) ?? [];
    const hold = holdOf(line, sameBibLines, matches);
    if (hold) {
      // A bib's own problems are listed once, on its first line, naming a few of the others.
      const listed = sameBibLines[0] === line.line ? hold.reasons : line.problems;
      for (const reason of listed) problems.add({ line: line.line, bib: line.bib, reason });
      return { ...planned, outcome: 'problem', result: null, hold };
    }
    const registered = participant as EventParticipant;
    const known = existing.get(registered.participantId);
    const result = mergeResult(known, line, { ...registered, age: entrants.get(registered.participantId)?.age ?? registered.age });
    const outcome: RowOutcome = result === null ? 'no result' : !known ? 'new' : sameResult(known, result) ? 'unchanged' : 'update';
    return { ...planned, outcome, result, hold: null };
  });
  return { event, fileName: input.fileName, format: table.format, headers: table.headers, mapping, mappingSource: source, rows, problems: problems.listed, unlistedProblems: problems.unlisted };
}

/** The cells the mapping reads, as the file has them. */
function mappedCells(cells: Record<string, string>, mapping: ColumnMapping): Record<string, string> {
  const columns = [mapping.bib, mapping.chipTime, mapping.gunTime, mapping.status, ...Object.values(mapping.splits)];
  return Object.fromEntries(columns.filter((column): column is string => column !== undefined).map((column) => [column, cells[column] ?? '']));
}

export interface AcceptedImport {
  importId: string;
  written: number;
  unchanged: number;
  /** Problem rows newly held, and those a held row already had (a re-import holds nothing twice). */
  held: number;
  alreadyHeld: number;
  placesChanged: number;
}

export interface ImportContext {
  stationName: string;
  timingPartnerId: number | null;
}

/**
 * Writes the clean rows and holds the others, or, strict, the whole file or nothing; rows, held
 * rows, the import record, places and outbox entries commit together.
 */
export function acceptImport(db: Db, input: ImportInput & { strict?: boolean }, context: ImportContext): AcceptedImport {
  return db
    .transaction((): AcceptedImport => {
      // Held lines whose bib has appeared since go in first, so this file's newer values win.
      matchHeldResults(db, resolveEvent(db, input.event, input.provider), context);
      const plan = planImport(db, input);
      if (input.strict && plan.rows.some((row) => row.outcome === 'problem')) throw new RaceDeskError('invalid_input', describeProblems(plan));
      const importId = randomUUID();
      const toWrite = plan.rows.filter((row) => row.outcome === 'new' || row.outcome === 'update');
      for (const row of toWrite) writeCrewResult(db, plan.event, { ...(row.result as CrewResult), importId }, context.timingPartnerId);
      const { held, alreadyHeld } = holdRows(db, plan, importId);
      db.prepare(
        `INSERT INTO crew_result_imports (import_id, source_provider, event_id, file_name, format, mapping, rows_written, station_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(importId, plan.event.sourceProvider, plan.event.eventId, plan.fileName, plan.format, JSON.stringify(plan.mapping), toWrite.length, context.stationName);
      if (input.saveMappingAs) saveMapping(db, input.saveMappingAs, plan.format, headerSignature(plan.headers), plan.mapping);
      const placesChanged = recomputeEventPlacings(db, plan.event);
      return { importId, written: toWrite.length, unchanged: plan.rows.filter((row) => row.outcome === 'unchanged').length, held, alreadyHeld, placesChanged };
    })
    .immediate();
}

export function describeProblems(plan: ImportPlan): string {
  const rows = plan.rows.filter((row) => row.outcome === 'problem').length;
  const shown = plan.problems.slice(0, 10).map((problem) => `line ${problem.line}: ${problem.reason}`);
  const notShown = plan.problems.length - shown.length + plan.unlistedProblems;
  const more = notShown > 0 ? `; and ${notShown.toLocaleString('en-US')} more` : '';
  return `${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'} of ${plan.fileName} ha${rows === 1 ? 's' : 've'} problems, so nothing was imported: ${shown.join('; ')}${more}.`;
}

function chooseMapping(db: Db, input: ImportInput, table: TimingTable): { mapping: ColumnMapping; source: string } {
  if (input.mapping) return { mapping: input.mapping, source: 'given with the import' };
  if (input.mappingName) {
    const saved = findSavedMapping(db, input.mappingName);
    if (!saved) {
      const names = listSavedMappings(db).map((m) => m.name);
      throw new RaceDeskError('not_found', `No saved mapping "${input.mappingName}"${names.length ? ` (saved: ${names.join(', ')})` : ' (none saved yet)'}.`);
    }
    return { mapping: saved.mapping, source: `saved mapping "${saved.name}"` };
  }
  const automatic = automaticMapping(db, table);
  if (!automatic) {
    throw new RaceDeskError(
      'invalid_input',
      `No bib column among the headers (${table.headers.map((h) => `"${h}"`).join(', ')}); choose the columns with a mapping.`,
    );
  }
  return automatic;
}

/** The mapping a file gets without being told: the one saved for its headers, FinishLynx's layout, or the obvious headers. */
export function automaticMapping(db: Db, table: TimingTable): { mapping: ColumnMapping; source: string } | undefined {
  const remembered = findMappingForHeaders(db, table.format, headerSignature(table.headers));
  if (remembered) return { mapping: remembered.mapping, source: `saved mapping "${remembered.name}" (same headers)` };
  if (table.format === 'lif') return { mapping: lifMapping, source: 'FinishLynx layout' };
  const detected = detectMapping(table.headers);
  return detected && { mapping: detected, source: 'detected from the headers' };
}

