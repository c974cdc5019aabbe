import type { z } from 'zod';
import { RaceDeskError } from '../errors.ts';

/*
 * How a provider's malformed record becomes an error a person can act on: the mapping says what
 * is wrong with the record, the session adds the provider, the page and the record's id.
 */

/** A record that cannot be stored, found by a hand-written field reader ("has no entry_id"). */
export class RecordProblem extends Error {}

export interface RecordAt {
  /** The kind of record: "entry", "athlete". */
  what: string;
  /** Where it came from: "event 90412, entries page 2". */
  where: string;
  id: string;
}

/**
 * Runs a mapping step; a RecordProblem becomes a provider_error naming the provider, where and
 * which record, and `remedy` (what to correct, and where).
 */
export function checkedRecord<T>(step: () => T, at: RecordAt, provider: { name: string; remedy: string }): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof RecordProblem)) throw error;
    throw new RaceDeskError(
      'provider_error',
      `${provider.name} sent a malformed ${at.what} in ${at.where}: ${at.what} ${at.id} ${error.message}. ` +
        `Nothing from that page was stored; ${provider.remedy} and sync again.`,
    );
  }
}

/** The record's id for messages, even when the record is otherwise broken. */
export function recordId(value: unknown, field: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)[field];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/** A zod failure as one short phrase: "subEventId: expected number" etc. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'record'}: ${issue.message}`)
    .join('; ');
}

/**
 * A record stored with a field left NULL because its value could not be read, or a record
 * skipped because its key could not be read. Kept with the sync run (sync_problems) so a person
 * sees which record, which field and what the provider actually sent.
 */
export interface RecordIssue {
  /** The record's id as the provider sent it; null when it has none. */
  recordId: string | null;
  /** "user.dob"; "record" when the record as a whole was skipped. */
  field: string;
  /** The value as sent, as JSON and cut to 200 characters; null when the field was missing. */
  rawValue: string | null;
  /** What was wrong and what happened: "is not a date ... (stored as NULL)". */
  problem: string;
  /** True when the record was not stored at all. */
  skipped: boolean;
}

const rawLimit = 200;

export function rawText(value: unknown): string | null {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > rawLimit ? `${text.slice(0, rawLimit - 1)}…` : text;
}

type Path = ReadonlyArray<PropertyKey>;

function valueAt(record: unknown, path: Path): unknown {
  let value = record;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

function setAt(record: unknown, path: Path, value: unknown): void {
  const parent = valueAt(record, path.slice(0, -1)) as Record<PropertyKey, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

/**
 * Reads one record the lenient way: a field whose value the schema refuses becomes NULL (or is
 * dropped, or its enclosing object is, when NULL is refused too) and is reported; a record whose
 * key field is unreadable is skipped and reported. Returns null for a skipped record. One odd
 * value must never keep the rest of a page or a listing from being stored.
 */
export function lenientParse<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  at: ParseAt,
): T | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return skipRecord(at, raw, 'record', rawText(raw), 'it is not an object');
  // Nearly every record is readable as sent: only one that is not is copied and repaired.
  const sent = schema.safeParse(raw);
  if (sent.success) return sent.data;
  const record = structuredClone(raw) as Record<string, unknown>;
  const reported = new Set<string>();
  // Each repair removes a value, so the number of rounds is bounded by the record's size.
  for (let round = 0; round < 200; round++) {
    const result = round === 0 ? sent : schema.safeParse(record);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    let path: Path = issue.path;
    const field = path.map(String).join('.') || 'record';
    const why = issueText(issue, valueAt(record, path));
    if (path.length === 0 || at.key.includes(String(path[0]))) return skipRecord(at, raw, field, rawText(valueAt(record, path)), `${field} ${why}`);
    if (!reported.has(field)) {
      reported.add(field);
      const id = idOf(at, record);
      at.problems.push({
        recordId: id,
        field,
        rawValue: rawText(valueAt(raw, path)),
        problem: `${at.where}: ${at.what} ${id ?? '(without id)'}: ${field} ${why} (stored as NULL).`,
        skipped: false,
      });
    }
    // NULL first, then no value, then the same for the enclosing object.
    for (;;) {
      const current = valueAt(record, path);
      if (current !== null && current !== undefined) {
        setAt(record, path, null);
        break;
      }
      if (current === null) {
        setAt(record, path, undefined);
        break;
      }
      if (path.length === 1) return skipRecord(at, raw, field, null, `${field} ${why}`);
      path = path.slice(0, -1);
    }
  }
  return skipRecord(at, raw, 'record', null, 'too many unreadable fields');
}

type ParseAt = { key: readonly string[]; what: string; where: string; problems: RecordIssue[] };

/** The record's id for messages: its first key field that reads as one. */
const idOf = (at: ParseAt, record: unknown) => at.key.map((field) => recordId(record, field)).find((id) => id !== null) ?? null;

/** Reports `raw` as skipped, and gives the null lenientParse returns for it. */
function skipRecord(at: ParseAt, raw: unknown, field: string, rawValue: string | null, why: string): null {
  const id = idOf(at, raw);
  at.problems.push({
    recordId: id,
    field,
    rawValue,
    problem: `${at.where}: ${at.what} ${id ?? '(without id)'} was skipped: ${why}.`,
    skipped: true,
  });
  return null;
}

function issueText(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && value === undefined) return 'is missing';
  if (issue.code === 'custom') return issue.message;
  return `is not readable (${issue.message})`;
}

/*
 * The same leniency for providers whose mappings are hand-written field readers (ChronoTrack,
 * Copernico): inside lenientRecord, a reader wrapped in softly() that meets an unreadable value
 * gives NULL and reports it; a RecordProblem that escapes the step (no key, not an object) skips
 * the record. Mapping steps are synchronous, so the record being read is simply the active one.
 */
let active: { at: RecordAt; problems: RecordIssue[] } | null = null;

export function lenientRecord<T>(step: () => T, at: RecordAt, problems: RecordIssue[]): T | null {
  const outer = active;
  active = { at, problems };
  try {
    return step();
  } catch (error) {
    if (!(error instanceof RecordProblem)) throw error;
    problems.push({
      recordId: at.id,
      field: 'record',
      rawValue: null,
      problem: `${at.where}: ${at.what} ${at.id} was skipped: it ${error.message}.`,
      skipped: true,
    });
    return null;
  } finally {
    active = outer;
  }
}

/** Reads one field; inside lenientRecord an unreadable value becomes NULL and a reported problem. */
export function softly<T>(field: string, raw: unknown, read: () => T): T | null {
  if (active === null) return read();
  try {
    return read();
  } catch (error) {
    if (!(error instanceof RecordProblem)) throw error;
    const { at, problems } = active;
    problems.push({
      recordId: at.id,
      field,
      rawValue: rawText(raw),
      problem: `${at.where}: ${at.what} ${at.id} ${error.message} (stored as NULL).`,
      skipped: false,
    });
    return null;
  }
}
