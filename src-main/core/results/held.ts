import { createHash } from 'node:crypto';
import type { Core } from '../core.ts';
import { RaceDeskError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { resolveEvent, type EventRef } from './event-ref.ts';
import { participantsByBib, type EventParticipant } from './event-participants.ts';
import { recomputeEventPlacings } from './event-placings.ts';
import { holdOf, lineSignature, type HoldKind } from './hold-rules.ts';
import type { ImportContext, ImportPlan } from './import.ts';
import { writeLineResult } from './line-result.ts';
import type { ColumnMapping } from './mapping.ts';
import { bibKey, readResultLine, type ResultLine } from './result-row.ts';

/*
 * Held rows: the lines of a timing export an import could not write (migration 0140). They are
 * resolved by the crew (assign to a runner, correct the line, dismiss it) or, for a bib nobody or
 * several runners hold, by themselves once exactly one runner holds it. Every way in writes the
 * line by the same merge as an import (line-result.ts): a blank never overwrites a known value.
 */

export const heldResolutions = ['matched', 'assigned', 'corrected', 'dismissed'] as const;
export type HeldResolution = (typeof heldResolutions)[number];

/** Kinds whose only problem is who holds the bib: the bib appearing resolves them. */
const matchableKinds: readonly HoldKind[] = ['unknown_bib', 'shared_bib'];

interface HeldRecord {
  id: number;
  source_provider: string;
  event_id: string;
  file_name: string;
  line: number;
  bib: string;
  kind: HoldKind;
  reasons: string;
  cells: string;
  corrected_cells: string | null;
  mapping: string;
  held_at: string;
  resolution: HeldResolution | null;
  participant_id: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

export interface HeldRow {
  id: number;
  fileName: string;
  line: number;
  bib: string;
  kind: HoldKind;
  reasons: string[];
  /** What the line reads as (null where a value does not parse). */
  read: ResultLine;
  /** The line's mapped cells as the file has them, and the crew's correction of them. */
  cells: Record<string, string>;
  correctedCells: Record<string, string> | null;
  heldAt: string;
  resolution: HeldResolution | null;
  participantId: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

const readHeldLine = (record: Pick<HeldRecord, 'line' | 'mapping'>, cells: Record<string, string>): ResultLine =>
  readResultLine({ line: record.line, cells }, JSON.parse(record.mapping) as ColumnMapping);

function toHeldRow(record: HeldRecord): HeldRow {
  const cells = JSON.parse(record.cells) as Record<string, string>;
  const correctedCells = record.corrected_cells === null ? null : (JSON.parse(record.corrected_cells) as Record<string, string>);
  return {
    id: record.id,
    fileName: record.file_name,
    line: record.line,
    bib: record.bib,
    kind: record.kind,
    reasons: JSON.parse(record.reasons) as string[],
    read: readHeldLine(record, correctedCells ?? cells),
    cells,
    correctedCells,
    heldAt: record.held_at,
    resolution: record.resolution,
    participantId: record.participant_id,
    resolvedBy: record.resolved_by,
    resolvedAt: record.resolved_at,
  };
}

/*
 * Holds the plan's problem rows. The fingerprint is what the line says (not its line number:
 * FinishLynx re-sorts a .lif as it reads more finishers) plus how many earlier lines of the file
 * said the same, so two runners without a bib and with the same time are two rows, while the same
 * file imported again holds nothing twice, whatever the crew did with the first copy.
 */
export function holdRows(db: Db, plan: ImportPlan, importId: string): { held: number; alreadyHeld: number } {
  const insert = db.prepare(
    `INSERT INTO held_results (source_provider, event_id, file_name, line, bib, bib_key, kind, reasons, cells, mapping, fingerprint, import_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_provider, event_id, fingerprint) DO NOTHING`,
  );
  const occurrences = new Map<string, number>();
  let held = 0;
  let alreadyHeld = 0;
  for (const row of plan.rows) {
    if (!row.hold) continue;
    const signature = lineSignature(row.read);
    const occurrence = occurrences.get(signature) ?? 0;
    occurrences.set(signature, occurrence + 1);
    const fingerprint = createHash('sha256').update(`${signature}#${occurrence}`).digest('hex');
    const { changes } = insert.run(
      plan.event.sourceProvider,
      plan.event.eventId,
      plan.fileName,
      row.line,
      row.bib,
      bibKey(row.bib),
      row.hold.kind,
      JSON.stringify(row.hold.reasons),
      JSON.stringify(row.cells),
      JSON.stringify(plan.mapping),
      fingerprint,
      importId,
    );
    if (changes > 0) held++;
    else alreadyHeld++;
  }
  return { held, alreadyHeld };
}

export function listHeld(db: Db, event: EventRef, options: { all?: boolean } = {}): HeldRow[] {
  const records = db
    .prepare(
      `SELECT * FROM held_results WHERE source_provider = ? AND event_id = ? AND (? OR resolution IS NULL)
       ORDER BY resolution IS NOT NULL, id`,
    )
    .all(event.sourceProvider, event.eventId, options.all ? 1 : 0) as HeldRecord[];
  return records.map(toHeldRow);
}

function markResolved(db: Db, id: number, resolution: HeldResolution, participantId: string | null, stationName: string, correctedCells?: Record<string, string>): void {
  db.prepare(
    `UPDATE held_results SET resolution = ?, participant_id = ?, resolved_by = ?, corrected_cells = coalesce(?, corrected_cells),
       resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE id = ?`,
  ).run(resolution, participantId, stationName, correctedCells ? JSON.stringify(correctedCells) : null, id);
}

/**
 * Writes every open held line of an unknown or shared bib that exactly one runner of its event now
 * holds, oldest first (a later line of the same bib wins, as in a re-import). `event` limits it to
 * one event. Returns how many were matched.
 */
export function matchHeldResults(db: Db, event: EventRef | undefined, context: ImportContext): number {
  const records = db
    .prepare(
      `SELECT * FROM held_results
       WHERE resolution IS NULL AND kind IN (${matchableKinds.map(() => '?').join(', ')})
         AND (? IS NULL OR (source_provider = ? AND event_id = ?))
       ORDER BY id`,
    )
    .all(...matchableKinds, event?.eventId ?? null, event?.sourceProvider ?? null, event?.eventId ?? null) as HeldRecord[];
  if (records.length === 0) return 0;
  const byEvent = new Map<string, HeldRecord[]>();
  for (const record of records) {
    const key = JSON.stringify([record.source_provider, record.event_id]);
    byEvent.set(key, [...(byEvent.get(key) ?? []), record]);
  }
  let matched = 0;
  return db.transaction(() => {
    for (const held of byEvent.values()) {
      const heldEvent = event ?? resolveEvent(db, held[0].event_id, held[0].source_provider);
      const holders = participantsByBib(db, heldEvent, new Set(held.map((record) => bibKey(record.bib))));
      let changed = false;
      for (const record of held) {
        const matches = holders.get(bibKey(record.bib)) ?? [];
        if (matches.length !== 1) continue;
        const line = readHeldLine(record, JSON.parse(record.cells) as Record<string, string>);
        changed = writeLineResult(db, heldEvent, line, matches[0], null, context.timingPartnerId) || changed;
        markResolved(db, record.id, 'matched', matches[0].participantId, context.stationName);
        matched++;
      }
      if (changed) recomputeEventPlacings(db, heldEvent);
    }
    return matched;
  })();
}

function openHeld(db: Db, id: number): HeldRecord {
  const record = db.prepare(`SELECT * FROM held_results WHERE id = ?`).get(id) as HeldRecord | undefined;
  if (!record) throw new RaceDeskError('not_found', `No held result row ${id}; racedesk results held --event ID lists them.`);
  if (record.resolution !== null) {
    throw new RaceDeskError(
      'conflict',
      `Held row ${id} (line ${record.line} of ${record.file_name}) was already ${record.resolution}${record.resolved_by ? ` by ${record.resolved_by}` : ''} at ${record.resolved_at}.`,
    );
  }
  return record;
}

const eventOf = (db: Db, record: HeldRecord) => resolveEvent(db, record.event_id, record.source_provider);

function participantOfEvent(db: Db, event: EventRef, participantId: string): EventParticipant {
  const participant = db
    .prepare(
      `SELECT participant_id AS participantId, coalesce(bib_number, '') AS bibNumber, first_name AS firstName, last_name AS lastName, gender, age
       FROM unified_participants WHERE source_provider = ? AND event_id = ? AND participant_id = ?`,
    )
    .get(event.sourceProvider, event.eventId, participantId) as EventParticipant | undefined;
  if (!participant) {
    throw new RaceDeskError('not_found', `No participant "${participantId}" in ${event.eventName ?? event.eventId}; pick a runner of this event (racedesk lookup shows their ids).`);
  }
  return participant;
}

/** Writes a held line as the chosen runner's result: for a line whose bib is missing, wrong or shared. */
export function assignHeld(db: Db, input: { id: number; participantId: string }, context: ImportContext): HeldRow {
  return db
    .transaction(() => {
      const record = openHeld(db, input.id);
      const event = eventOf(db, record);
      const participant = participantOfEvent(db, event, input.participantId);
      const cells = record.corrected_cells ?? record.cells;
      const line = readHeldLine(record, JSON.parse(cells) as Record<string, string>);
      // The runner is chosen, so a missing bib no longer matters; a value that does not parse still does.
      const valueProblems = line.problems.filter((problem) => line.bib !== '' || problem !== 'no bib number');
      if (valueProblems.length > 0) {
        throw new RaceDeskError('invalid_input', `Line ${record.line} of ${record.file_name} has values that cannot be read (${valueProblems.join('; ')}); correct it instead of assigning it.`);
      }
      if (writeLineResult(db, event, line, participant, null, context.timingPartnerId)) recomputeEventPlacings(db, event);
      markResolved(db, record.id, 'assigned', participant.participantId, context.stationName);
      return toHeldRow(openedAgain(db, record.id));
    })
    .immediate();
}

export interface HeldCorrection {
  id: number;
  bib?: string;
  chipTime?: string;
  gunTime?: string;
  status?: string;
}

/* A value the file had no column for goes into a column of this name. */
const addedColumns = { chipTime: 'Chip Time (corrected)', gunTime: 'Gun Time (corrected)', status: 'Status (corrected)' } as const;

/**
 * Corrects the line's values (the bib, a time, the status) and writes it when it is clean: read
 * by the same rules as the file, matched by its bib. A correction that still has a problem
 * changes nothing and says why.
 */
export function correctHeld(db: Db, input: HeldCorrection, context: ImportContext): HeldRow {
  return db
    .transaction(() => {
      const record = openHeld(db, input.id);
      const event = eventOf(db, record);
      const mapping = { ...(JSON.parse(record.mapping) as ColumnMapping) };
      const cells = { ...(JSON.parse(record.corrected_cells ?? record.cells) as Record<string, string>) };
      if (input.bib !== undefined) cells[mapping.bib] = input.bib;
      for (const field of ['chipTime', 'gunTime', 'status'] as const) {
        const value = input[field];
        if (value === undefined) continue;
        mapping[field] ??= addedColumns[field];
        cells[mapping[field]] = value;
      }
      const line = readResultLine({ line: record.line, cells }, mapping);
      const matches = line.bib === '' ? [] : (participantsByBib(db, event, new Set([bibKey(line.bib)])).get(bibKey(line.bib)) ?? []);
      const hold = holdOf(line, [line.line], matches);
      if (hold) throw new RaceDeskError('invalid_input', `The corrected line ${record.line} still cannot be written: ${hold.reasons.join('; ')}. Nothing was changed.`);
      if (writeLineResult(db, event, line, matches[0], null, context.timingPartnerId)) recomputeEventPlacings(db, event);
      db.prepare(`UPDATE held_results SET mapping = ? WHERE id = ?`).run(JSON.stringify(mapping), record.id);
      markResolved(db, record.id, 'corrected', matches[0].participantId, context.stationName, cells);
      return toHeldRow(openedAgain(db, record.id));
    })
    .immediate();
}

/** Sets a held line aside for good (a test read, a marshal's bib); it stays listed with --all. */
export function dismissHeld(db: Db, input: { id: number }, context: ImportContext): HeldRow {
  return db
    .transaction(() => {
      openHeld(db, input.id);
      markResolved(db, input.id, 'dismissed', null, context.stationName);
      return toHeldRow(openedAgain(db, input.id));
    })
    .immediate();
}

const openedAgain = (db: Db, id: number) => db.prepare(`SELECT * FROM held_results WHERE id = ?`).get(id) as HeldRecord;

export const importContextOf = (core: Core, stationName?: string): ImportContext => ({
  stationName: stationName ?? core.options.stationName ?? core.settings.read().station.name,
  timingPartnerId: core.settings.read().partner?.id ?? null,
});

/**
 * Matches held lines whenever runners change (a walk-up, a bib change, a sync): every shell's
 * core does this from its start. Returns the function that stops it.
 */
export function startHeldResultMatching(core: Core): () => void {
  return core.events.on('data.changed', ({ area }) => {
    if (area === 'results' || !core.db.open) return;
    try {
      if (matchHeldResults(core.db, undefined, importContextOf(core)) > 0) core.events.emit('data.changed', { area: 'results' });
    } catch (error) {
      // The change that was announced is already stored; a failed match is retried on the next change.
      core.log.error(`Matching held result rows failed: ${(error as Error).message}`);
    }
  });
}
