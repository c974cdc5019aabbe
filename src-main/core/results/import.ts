import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RaceDeskError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { resolveEvent, type EventRef } from './event-ref.ts';
import { participantsByBib, type EventParticipant } from './event-participants.ts';
import { loadCrewResults, writeCrewResult, type CrewResult } from './crew-results-store.ts';
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
 * written and what is wrong; and an accept that repeats the same plan inside one transaction and
 * writes everything or, if any row has a problem, nothing. The accept takes the file again rather
 * than a preview id, so the CLI, the station and a restarted app all behave the same.
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

export type RowOutcome = 'new' | 'update' | 'unchanged' | 'no result' | 'problem';

export interface PlannedRow {
  line: number;
  bib: string;
  outcome: RowOutcome;
  participantId: string | null;
  name: string | null;
  /** The result as it would be stored (before places are recomputed). */
  result: CrewResult | null;
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

/*
 * What is wrong with a line's bib. A bib on several lines, or one that is not (or more than once)
 * registered, is reported once, on its first line, naming a few of the others: a file of 50,000
 * copies of one bib gives one problem, not 50,000 lists of 49,999 line numbers. The other lines
 * of that bib are still problem rows, so nothing of the file is written.
 */
function bibProblems(line: ResultLine, sameBibLines: number[], matches: EventParticipant[]): string[] {
  if (line.bib === '' || sameBibLines[0] !== line.line) return [];
  const reasons: string[] = [];
  if (sameBibLines.length > 1) reasons.push(`bib ${line.bib} is on ${sameBibLines.length.toLocaleString('en-US')} lines: ${someLines(sameBibLines)}`);
  if (matches.length === 0) reasons.push(`bib ${line.bib} is not registered in this event`);
  if (matches.length > 1) {
    reasons.push(`bib ${line.bib} belongs to ${matches.length} participants (${matches.map(fullName).join(', ')}); fix the bibs before importing`);
  }
  return reasons;
}

function someLines(lines: number[]): string {
  const shown = 5;
  if (lines.length <= shown) return `${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
  return `${lines.slice(0, shown).join(', ')} and ${(lines.length - shown).toLocaleString('en-US')} more`;
}

export function planImport(db: Db, input: ImportInput): ImportPlan {
  const event = resolveEvent(db, input.event, input.provider);
  const table = parseTimingFile(input.fileName, input.content);
  const { mapping, source } = chooseMapping(db, input, table);
  checkMappingAgainst(mapping, table);

  const lines = table.rows.map((row) => readResultLine(row, mapping));
  const linesByBib = new Map<string, number[]>();
  for (const line of lines) {
    if (line.bib === '') continue;
    const key = bibKey(line.bib);
    const same = linesByBib.get(key);
    if (same) same.push(line.line);
    else linesByBib.set(key, [line.line]);
  }
  // Only the file's bibs: memory follows the file's distinct bibs, not the event's size.
  const participants = participantsByBib(db, event, new Set(linesByBib.keys()));
  const matched = new Set([...participants.values()].flat().map((participant) => participant.participantId));
  const existing = new Map(loadCrewResults(db, event).map((result) => [result.participantId, result]));
  const entrants = loadEntrants(db, event, readEventResultSettings(db, event).ageBasis, matched);

  const problems = new ProblemList();
  const rows: PlannedRow[] = lines.map((line) => {
    const key = bibKey(line.bib);
    const matches = line.bib === '' ? [] : (participants.get(key) ?? []);
    const participant = matches.length === 1 ? matches[0] : null;
    const reasons = [...line.problems, ...bibProblems(line, linesByBib.get(key) ?? [], matches)];
    if (reasons.length > 0 || (linesByBib.get(key)?.length ?? 0) > 1) {
      for (const reason of reasons) problems.add({ line: line.line, bib: line.bib, reason });
      return { line: line.line, bib: line.bib, outcome: 'problem', participantId: participant?.participantId ?? null, name: participant && fullName(participant), result: null };
    }
    const registered = participant as EventParticipant;
    const known = existing.get(registered.participantId);
    const result = mergeResult(known, line, { ...registered, age: entrants.get(registered.participantId)?.age ?? registered.age });
    const outcome: RowOutcome = result === null ? 'no result' : !known ? 'new' : sameResult(known, result) ? 'unchanged' : 'update';
    return { line: line.line, bib: line.bib, outcome, participantId: participant?.participantId ?? null, name: participant && fullName(participant), result };
  });
  return { event, fileName: input.fileName, format: table.format, headers: table.headers, mapping, mappingSource: source, rows, problems: problems.listed, unlistedProblems: problems.unlisted };
}

export interface AcceptedImport {
  importId: string;
  written: number;
  unchanged: number;
  placesChanged: number;
}

/** Writes the whole file or nothing; rows, the import record, places and outbox entries commit together. */
export function acceptImport(db: Db, input: ImportInput, context: { stationName: string; timingPartnerId: number | null }): AcceptedImport {
  return db
    .transaction((): AcceptedImport => {
      const plan = planImport(db, input);
      if (plan.rows.some((row) => row.outcome === 'problem')) throw new RaceDeskError('invalid_input', describeProblems(plan));
      const importId = randomUUID();
      const toWrite = plan.rows.filter((row) => row.outcome === 'new' || row.outcome === 'update');
      for (const row of toWrite) writeCrewResult(db, plan.event, { ...(row.result as CrewResult), importId }, context.timingPartnerId);
      db.prepare(
        `INSERT INTO crew_result_imports (import_id, source_provider, event_id, file_name, format, mapping, rows_written, station_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(importId, plan.event.sourceProvider, plan.event.eventId, plan.fileName, plan.format, JSON.stringify(plan.mapping), toWrite.length, context.stationName);
      if (input.saveMappingAs) saveMapping(db, input.saveMappingAs, plan.format, headerSignature(plan.headers), plan.mapping);
      const placesChanged = recomputeEventPlacings(db, plan.event);
      return { importId, written: toWrite.length, unchanged: plan.rows.filter((row) => row.outcome === 'unchanged').length, placesChanged };
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

/*
 * Re-imports merge into what is known: a blank time or split in a later file keeps the earlier
 * value (interim files are often exported before every mat was read). A stated status wins;
 * otherwise a row with a time is a finisher.
 */
function mergeResult(known: CrewResult | undefined, line: ResultLine, participant: EventParticipant): CrewResult | null {
  const chipTimeMs = line.chipTimeMs ?? known?.chipTimeMs ?? null;
  const gunTimeMs = line.gunTimeMs ?? known?.gunTimeMs ?? null;
  const splits = { ...(known?.splits ?? {}), ...line.splits };
  const status = line.status ?? (line.chipTimeMs !== null || line.gunTimeMs !== null ? 'FIN' : known?.status);
  if (!status) return null;
  return {
    participantId: participant.participantId,
    bibNumber: participant.bibNumber,
    firstName: participant.firstName,
    lastName: participant.lastName,
    gender: participant.gender,
    age: participant.age,
    ageGroup: known?.ageGroup ?? null,
    chipTimeMs,
    gunTimeMs,
    splits,
    status,
    overallPlace: known?.overallPlace ?? null,
    genderPlace: known?.genderPlace ?? null,
    ageGroupPlace: known?.ageGroupPlace ?? null,
    importId: known?.importId ?? null,
  };
}

function sameResult(a: CrewResult, b: CrewResult): boolean {
  return (
    a.bibNumber === b.bibNumber &&
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    a.gender === b.gender &&
    a.age === b.age &&
    a.chipTimeMs === b.chipTimeMs &&
    a.gunTimeMs === b.gunTimeMs &&
    a.status === b.status &&
    JSON.stringify(sortedEntries(a.splits)) === JSON.stringify(sortedEntries(b.splits))
  );
}

const sortedEntries = (record: Record<string, number>) => Object.entries(record).sort(([x], [y]) => x.localeCompare(y));

const fullName = (p: { firstName: string | null; lastName: string | null }) => [p.firstName, p.lastName].filter(Boolean).join(' ') || '(no name)';
