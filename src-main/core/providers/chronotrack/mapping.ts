import type { TableRow } from '../types.ts';
import { RecordProblem, softly } from '../record-problems.ts';

/*
 * ChronoTrack records -> rows of ct_events / ct_participants / ct_results (migrations 0001, 0010).
 * ChronoTrack sends every scalar as a JSON string (numbers, "1"/"0" flags, epoch seconds), and
 * "" where a value is absent, so each field is read through one converter that says what was
 * wrong with it.
 */

export interface RowContext {
  /** Account label: who fetched the row. Never the secret. */
  accountLabel: string;
  timingPartnerId: number | null;
}

type RawRecord = Record<string, unknown>;

export function asRecord(value: unknown, what: string): RawRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordProblem(`is not an object (${what} should be one)`);
  }
  return value as RawRecord;
}

function strictText(record: RawRecord, field: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new RecordProblem(`has ${field} of type ${Array.isArray(value) ? 'list' : typeof value}, expected text`);
  }
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

/** A value that cannot be read is stored as NULL and reported (record-problems.ts softly). */
function text(record: RawRecord, field: string): string | null {
  return softly(field, record[field], () => strictText(record, field));
}

function requiredId(record: RawRecord, field: string): string {
  const value = strictText(record, field);
  if (value === null) throw new RecordProblem(`has no ${field}`);
  return value;
}

function strictInteger(record: RawRecord, field: string): number | null {
  const value = text(record, field);
  if (value === null) return null;
  if (!/^-?\d+$/.test(value)) throw new RecordProblem(`has ${field} "${value}", which is not a whole number`);
  return Number(value);
}

function strictDate(record: RawRecord, field: string): string | null {
  const value = text(record, field);
  // Unset birthdates come back as zero dates from some MySQL-backed systems; that means "unknown".
  if (value === null || value === '0000-00-00') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12 || Number(match[3]) < 1 || Number(match[3]) > 31) {
    throw new RecordProblem(`has ${field} "${value}", which is not a date (YYYY-MM-DD)`);
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** Epoch seconds, possibly with a fraction ("1760788827.70"), as ISO-8601 UTC. */
function strictEpochSeconds(record: RawRecord, field: string): string | null {
  const value = text(record, field);
  if (value === null || value === '0') return null;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds)) {
    throw new RecordProblem(`has ${field} "${value}", which is not a time in epoch seconds`);
  }
  return new Date(Math.round(seconds * 1000)).toISOString();
}

function strictFlag(record: RawRecord, field: string): number | null {
  const value = text(record, field);
  if (value === null) return null;
  if (value !== '0' && value !== '1') throw new RecordProblem(`has ${field} "${value}", expected "1" or "0"`);
  return Number(value);
}

const integer = (record: RawRecord, field: string) => softly(field, record[field], () => strictInteger(record, field));
const date = (record: RawRecord, field: string) => softly(field, record[field], () => strictDate(record, field));
const epochSeconds = (record: RawRecord, field: string) => softly(field, record[field], () => strictEpochSeconds(record, field));
const flag = (record: RawRecord, field: string) => softly(field, record[field], () => strictFlag(record, field));

const stamp = (context: RowContext) => ({
  timing_partner_id: context.timingPartnerId,
  credentials_used: context.accountLabel,
});

// ---- events -----------------------------------------------------------------------------------

export function eventRow(raw: unknown, context: RowContext): TableRow {
  const event = asRecord(raw, 'an event');
  const city = text(event, 'location_city');
  return {
    event_id: requiredId(event, 'event_id'),
    event_name: text(event, 'event_name'),
    event_start_time: epochSeconds(event, 'event_start_time'),
    event_end_time: epochSeconds(event, 'event_end_time'),
    event_date: date(event, 'event_date'),
    time_zone: text(event, 'location_time_zone'),
    is_published: flag(event, 'event_is_published'),
    // Same JSON shape as ct_participants.location; events only report a city.
    location: city === null ? null : JSON.stringify({ city }),
    ...stamp(context),
  };
}

// ---- entries (participants) -----------------------------------------------------------------

export function entryRow(raw: unknown, eventId: string, context: RowContext): TableRow {
  const entry = asRecord(raw, 'an entry');
  const city = text(entry, 'location_city');
  const region = text(entry, 'location_region');
  const country = text(entry, 'location_country');
  return {
    entry_id: requiredId(entry, 'entry_id'),
    event_id: eventId,
    race_id: text(entry, 'race_id'),
    race_name: text(entry, 'race_name'),
    reg_choice_name: text(entry, 'reg_choice_name'),
    wave_name: text(entry, 'wave_name'),
    bracket_name: text(entry, 'bracket_name'),
    entry_external_id: text(entry, 'entry_external_id'),
    entry_name: text(entry, 'entry_name'),
    entry_type: text(entry, 'entry_type'),
    entry_status: text(entry, 'entry_status'),
    entry_bib: text(entry, 'entry_bib'),
    entry_race_age: integer(entry, 'entry_race_age'),
    athlete_id: text(entry, 'athlete_id'),
    athlete_first_name: text(entry, 'athlete_first_name'),
    athlete_last_name: text(entry, 'athlete_last_name'),
    athlete_sex: text(entry, 'athlete_sex'),
    athlete_birthdate: date(entry, 'athlete_birthdate'),
    athlete_email: text(entry, 'athlete_email'),
    athlete_home_phone: text(entry, 'athlete_home_phone'),
    athlete_mobile_phone: text(entry, 'athlete_mobile_phone'),
    // {city, region, country}: unified_participants reads $.city and $.region (the state).
    location: city === null && region === null && country === null ? null : JSON.stringify({ city, region, country }),
    team_id: text(entry, 'team_id'),
    team_name: text(entry, 'team_name'),
    ...stamp(context),
  };
}

// ---- results --------------------------------------------------------------------------------

interface SplitTime {
  interval_id: string | null;
  time: string | null;
  gun_time: string | null;
  pace: string | null;
  rank: number | null;
}

interface AssembledResult {
  identity: TableRow;
  finish: TableRow | null;
  splits: Record<string, SplitTime>;
  /** Bracket places by column (results_gender_rank...), and the bracket each came from. */
  places: Record<string, { rank: number; bracket: string | null }>;
}

/**
 * With interval=ALL ChronoTrack sends one row per entry per interval: the full-course row
 * (results_interval_full "1") and one per split. Which page each of an entry's rows lands on is
 * not something the API promises, so the assembler remembers every entry seen in this run and
 * each page re-emits the entries it touched with everything known so far: an entry whose rows
 * straddle pages ends up whole, and a page never blanks a finish time it has not seen yet
 * (finish columns are only sent once the full-course row has arrived).
 */
export class ResultAssembler {
  private readonly entries = new Map<string, AssembledResult>();

  constructor(
    private readonly eventId: string,
    private readonly context: RowContext,
  ) {}

  /** Validates and merges one API row; returns its entry id. */
  add(raw: unknown): string {
    const result = asRecord(raw, 'a result');
    const entryId = requiredId(result, 'results_entry_id');
    const identity: TableRow = {
      results_bib: text(result, 'results_bib'),
      results_first_name: text(result, 'results_first_name'),
      results_last_name: text(result, 'results_last_name'),
      results_sex: text(result, 'results_sex'),
      results_age: integer(result, 'results_age'),
      results_race_id: text(result, 'results_race_id'),
      results_race_name: text(result, 'results_race_name'),
      results_primary_bracket_name: text(result, 'results_primary_bracket_name'),
      results_begin_chip_time: epochSeconds(result, 'results_begin_chip_time'),
    };
    const time = text(result, 'results_time');
    const gunTime = text(result, 'results_gun_time');
    const pace = text(result, 'results_pace');
    const rank = integer(result, 'results_rank');
    const endChipTime = epochSeconds(result, 'results_end_chip_time');
    // Without interval=ALL the flag may be absent: then every row is a full-course row.
    const full = (text(result, 'results_interval_full') ?? '1') === '1';

    const known = this.entries.get(entryId) ?? { identity, finish: null, splits: {}, places: {} };
    if (full) {
      known.identity = identity;
      known.finish = {
        results_time: time,
        results_gun_time: gunTime,
        results_rank: rank,
        results_pace: pace,
        results_end_chip_time: endChipTime,
      };
    } else {
      const name = text(result, 'results_interval_name') ?? text(result, 'results_interval_id') ?? 'split';
      // A split row without a time says nothing: it must not replace one that had a time.
      if (time !== null || gunTime !== null || !(name in known.splits)) {
        known.splits[name] = { interval_id: text(result, 'results_interval_id'), time, gun_time: gunTime, pace, rank };
      }
    }
    this.entries.set(entryId, known);
    return entryId;
  }

  /**
   * Records a place from one bracket's results (GET /bracket/{id}/results) in `column`; returns
   * the entry id, or null for an entry the event results did not have. A runner may sit in more
   * than one age bracket (two age-group schemes): the one named like its primary bracket wins.
   */
  place(raw: unknown, column: string, bracketName: string | null): string | null {
    const result = asRecord(raw, 'a bracket result');
    const entryId = requiredId(result, 'results_entry_id');
    const known = this.entries.get(entryId);
    const rank = integer(result, 'results_rank');
    if (!known || rank === null) return null;
    const current = known.places[column];
    const primary = known.identity.results_primary_bracket_name;
    if (current && current.bracket === primary && bracketName !== primary) return null;
    known.places[column] = { rank, bracket: bracketName };
    return entryId;
  }

  row(entryId: string): TableRow {
    const known = this.entries.get(entryId);
    if (!known) throw new Error(`No result rows for entry ${entryId}`);
    return {
      event_id: this.eventId,
      entry_id: entryId,
      ...known.identity,
      ...(known.finish ?? {}),
      split_times: Object.keys(known.splits).length > 0 ? JSON.stringify(known.splits) : null,
      ...Object.fromEntries(Object.entries(known.places).map(([column, place]) => [column, place.rank])),
      ...stamp(this.context),
    };
  }
}
