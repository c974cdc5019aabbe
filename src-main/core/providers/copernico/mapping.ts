import type { TableRow } from '../types.ts';
import { lenientRecord, RecordProblem, softly, type RecordIssue } from '../record-problems.ts';
import { copernicoAssumptions } from './assumptions.ts';
import { isTimeZone, utcInstant, zonedToUtc } from '../zoned-time.ts';

/*
 * Copernico records -> rows of copernico_events / copernico_participants / copernico_results
 * (migrations 0001, 0010), following copernico.md §6. Times are integer milliseconds; text
 * sometimes arrives double-encoded (UTF-8 read as Windows-1252: "MaratÃ³n"), and is repaired.
 */

export interface RowContext {
  accountLabel: string;
  timingPartnerId: number | null;
  /** When this fetch happened, ISO-8601 UTC. */
  fetchedAt: string;
}

export type RawRecord = Record<string, unknown>;

export function asRecord(value: unknown, what: string): RawRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordProblem(`is not an object (${what})`);
  return value as RawRecord;
}

// ---- text repair ------------------------------------------------------------------------------

/** Windows-1252 characters of bytes 0x80-0x9F, which double-encoded UTF-8 is full of ("Ã‰" = É). */
const cp1252 = new Map<string, number>(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'].map((char, i) => [char, 0x80 + i]),
);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Undoes double encoding: if every character maps back to one Windows-1252 byte and those bytes
 * are valid UTF-8 with a multi-byte sequence, the UTF-8 reading is the real text. Genuine
 * accented text ("Tomás") is never valid UTF-8 read that way, so it is left alone.
 */
export function repairText(value: string): string {
  if (!/[\u00C2-\u00F4][\u0080-\u00BF\u0152-\u2122]/.test(value)) return value;
  const bytes: number[] = [];
  for (const char of value) {
    const code = char.charCodeAt(0);
    const byte = code < 0x100 ? code : cp1252.get(char);
    if (byte === undefined) return value;
    bytes.push(byte);
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return value;
  }
}

// ---- field readers ----------------------------------------------------------------------------

/** Inside lenientRecord (record-problems.ts) a value that cannot be read is stored as NULL and reported. */
export function text(record: RawRecord, field: string): string | null {
  return softly(field, record[field], () => strictText(record, field));
}

function strictText(record: RawRecord, field: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new RecordProblem(`has ${field} of type ${Array.isArray(value) ? 'list' : typeof value}, expected text`);
  }
  const trimmed = repairText(String(value).trim());
  return trimmed === '' ? null : trimmed;
}

export function requiredText(record: RawRecord, field: string): string {
  const value = strictText(record, field);
  if (value === null) throw new RecordProblem(`has no ${field}`);
  return value;
}

/** Milliseconds (or positions): numbers, numeric strings; null/"" absent. */
function number(record: RawRecord, field: string, path = field): number | null {
  return softly(path, record[field], () => strictNumber(record, field, path));
}

function strictNumber(record: RawRecord, field: string, path: string): number | null {
  const value = record[field];
  if (value === undefined || value === null || value === '') return null;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(parsed)) throw new RecordProblem(`has ${path} ${JSON.stringify(value)}, which is not a number`);
  return parsed;
}

/** Positions and times where 0 means "not ranked / not reached". */
const positive = (value: number | null) => (value === null || value <= 0 ? null : value);

function date(record: RawRecord, field: string): string | null {
  return softly(field, record[field], () => strictDate(record, field));
}

function strictDate(record: RawRecord, field: string): string | null {
  const value = text(record, field);
  if (value === null) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12 || Number(match[3]) < 1 || Number(match[3]) > 31) {
    throw new RecordProblem(`has ${field} "${value}", which is not a date (YYYY-MM-DD)`);
  }
  return value;
}

/** An ISO date-time with offset ("2026-11-15T09:00:00+01:00") as ISO UTC; a bare date stays a date. */
function dateTime(record: RawRecord, field: string, zone: string | null): string | null {
  return softly(field, record[field], () => strictDateTime(record, field, zone));
}

/**
 * A time without an offset is wall-clock time at the race, read in the race's zone; without a
 * known zone it is kept as sent rather than read in whatever zone the laptop runs in.
 */
function strictDateTime(record: RawRecord, field: string, zone: string | null): string | null {
  const value = text(record, field);
  if (value === null) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    const local = value.replace(' ', 'T');
    return (zone ? zonedToUtc(local.slice(0, 23), zone) : null) ?? local;
  }
  const instant = utcInstant(value);
  if (instant === null) throw new RecordProblem(`has ${field} "${value}", which is not a date and time`);
  return instant;
}

const epochMs = (ms: number | null) => (ms === null || ms <= 0 ? null : new Date(ms).toISOString());

/** Milliseconds as 'H:MM:SS.mmm', the store's stand-in for INTERVAL (the hub casts it). */
export function durationText(ms: number | null): string | null {
  if (ms === null || ms <= 0) return null;
  const whole = Math.round(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = Math.floor((whole % 60_000) / 1000);
  return `${hours}:${pad(minutes)}:${pad(seconds)}.${pad(whole % 1000, 3)}`;
}

/**
 * Copernico says male / female / mixed. Stored folded to M / F / X because unified_participants
 * folds genders by their first letter, which would turn "mixed" into M.
 */
export function foldGender(value: string | null): string | null {
  if (value === null) return null;
  const folded = { male: 'M', female: 'F', mixed: 'X', m: 'M', f: 'F', x: 'X' }[value.toLowerCase()];
  return folded ?? value;
}

const stamp = (context: RowContext) => ({
  fetched_date: context.fetchedAt,
  updated_at: context.fetchedAt,
  credentials_used: context.accountLabel,
  timing_partner_id: context.timingPartnerId,
});

// ---- races and events -------------------------------------------------------------------------

export interface RaceEvent {
  eventId: string;
  /** The event's name, as athletes' `event` field and per-athlete events[].event name it. */
  name: string;
  /** Copernico's own event id (a UUID in the assumed race detail), also accepted as a match. */
  copernicoId: string | null;
  startsAt: string | null;
  row: TableRow;
}

export interface Race {
  raceId: string;
  name: string;
  events: RaceEvent[];
}

/** Reads a race; an event without a name (its id in RaceDesk) is skipped and reported in `problems`. */
export function parseRace(raceId: string, raw: unknown, context: RowContext, problems: RecordIssue[] = []): Race {
  const race = asRecord(raw, 'race detail');
  const name = text(race, 'name') ?? raceId;
  const zone = text(race, 'timezone');
  const raceDate = dateTime(race, 'date', isTimeZone(zone) ? zone : null);
  const base = {
    location: text(race, 'location'),
    organizer: text(race, 'company'),
    status: text(race, 'status'),
    ...stamp(context),
  };
  const rawEvents = softly('events', race.events, () => {
    if (race.events !== undefined && race.events !== null && !Array.isArray(race.events)) throw new RecordProblem('has "events" that is not a list');
    return race.events as unknown[] | null | undefined;
  });
  const readEvent = (item: unknown, index: number): RaceEvent => {
    const event = asRecord(item, `event #${index + 1}`);
    const eventName = requiredText(event, 'name');
    const eventId = copernicoAssumptions.eventId(raceId, eventName);
    const startsAt = dateTime(event, 'date', isTimeZone(zone) ? zone : null) ?? raceDate;
    const metres = number(event, 'distance', `events[${index}].distance`);
    return {
      eventId,
      name: eventName,
      copernicoId: text(event, 'id'),
      startsAt,
      row: {
        event_id: eventId,
        event_name: `${name} ${eventName}`,
        event_date: startsAt,
        discipline: text(event, 'discipline'),
        distance: metres === null ? null : metres / 1000,
        event_type: text(event, 'type'),
        max_participants: number(event, 'maxParticipants', `events[${index}].maxParticipants`),
        registration_fee: number(event, 'price', `events[${index}].price`),
        currency: text(event, 'currency'),
        ...base,
      },
    };
  };
  const events = (rawEvents ?? [])
    .map((item, index) =>
      lenientRecord(() => readEvent(item, index), { what: 'event', where: `Copernico race ${raceId}`, id: `#${index + 1}` }, problems),
    )
    .filter((event): event is RaceEvent => event !== null);
  if (events.length === 0) {
    // A race without an events list is a single-event race: the race itself is the event.
    events.push({
      eventId: raceId,
      name,
      copernicoId: null,
      startsAt: raceDate,
      row: { event_id: raceId, event_name: name, event_date: raceDate, ...base },
    });
  }
  return { raceId, name, events };
}

// ---- athletes ---------------------------------------------------------------------------------

/** An /athletes item, normalised. `events` is null when the summary does not say. */
export interface AthleteSummary {
  id: string;
  raw: RawRecord;
  events: string[] | null;
  status: string | null;
}

export function parseSummary(raw: unknown): AthleteSummary {
  const record = asRecord(raw, 'athlete');
  const event = text(record, 'event');
  return { id: requiredText(record, 'id'), raw: record, events: event === null ? null : [event], status: text(record, 'status') };
}

/** The event block of an athlete record: events[] in production, the record itself in the demo layout (§4.4). */
export function eventBlock(detail: RawRecord, eventName: string, race: Race): RawRecord | null {
  const events = detail.events;
  if (events === undefined || events === null) return detail;
  if (!Array.isArray(events)) throw new RecordProblem('has "events" that is not a list');
  const blocks = events.map((e, i) => asRecord(e, `events[${i}]`));
  return blocks.find((b) => text(b, 'event') === eventName) ?? (race.events.length === 1 ? blocks[0] ?? null : null);
}

export function participantRow(eventId: string, athlete: RawRecord, block: RawRecord | null, context: RowContext): TableRow {
  const source = (field: string) => (block && block[field] !== undefined ? text(block, field) : text(athlete, field));
  const attributes = (block?.attributes ?? athlete.attributes) as RawRecord | undefined;
  const licence =
    attributes && typeof attributes === 'object'
      ? copernicoAssumptions.licenceAttributes.map((name) => text(attributes, name)).find((v) => v !== null) ?? null
      : null;
  return {
    event_id: eventId,
    participant_id: requiredText(athlete, 'id'),
    bib_number: source('dorsal'),
    first_name: text(athlete, 'name'),
    last_name: text(athlete, 'surname'),
    date_of_birth: date(athlete, 'birthdate'),
    gender: foldGender(text(athlete, 'gender')),
    nationality: text(athlete, 'nationality') ?? text(athlete, 'PAÍS'),
    club_team: text(athlete, 'club') ?? (block ? text(block, 'team') : null),
    category: source('category'),
    license_number: licence,
    registration_status: copernicoAssumptions.registrationStatus,
    ...stamp(context),
  };
}

/** A result row from the summary alone, for athletes who have no times yet. */
export function resultRowFromSummary(eventId: string, athlete: RawRecord, context: RowContext): TableRow {
  return {
    event_id: eventId,
    participant_id: requiredText(athlete, 'id'),
    bib_number: text(athlete, 'dorsal'),
    first_name: text(athlete, 'name'),
    last_name: text(athlete, 'surname'),
    category: text(athlete, 'category'),
    start_time: null,
    finish_time: null,
    total_time: null,
    gun_time: null,
    split_times: null,
    overall_position: null,
    category_position: null,
    status: text(athlete, 'status'),
    ...stamp(context),
  };
}

interface Split {
  name: string;
  order: number;
  distance: number | null;
  time: number | null;
  net: number | null;
  rawTime: number | null;
}

export function resultRow(eventId: string, athlete: RawRecord, block: RawRecord, context: RowContext): TableRow {
  const times = block.times === undefined || block.times === null ? {} : asRecord(block.times, 'times');
  const rankings = block.rankings === undefined || block.rankings === null ? {} : asRecord(block.rankings, 'rankings');
  const splits: Split[] = Object.entries(times).map(([name, value]) => {
    const split = asRecord(value, `times["${name}"]`);
    const raw = split.raw && typeof split.raw === 'object' ? (split.raw as RawRecord) : {};
    return {
      name,
      order: number(split, 'order', `times["${name}"].order`) ?? 0,
      distance: number(split, 'distance', `times["${name}"].distance`),
      time: positive(number(split, 'time', `times["${name}"].time`)),
      net: positive(number(split, 'netTime', `times["${name}"].netTime`)),
      rawTime: positive(number(raw, 'time', `times["${name}"].raw.time`) ?? number(raw, 'rawTime', `times["${name}"].raw.rawTime`)),
    };
  });
  // Records read by the live integrations may have no times at all, only rankings (CP5, CP7:
  // rankings.Meta): their splits then come from the rankings' own times. Where times exist, a split
  // missing from them was not reached, whatever the rankings hold.
  let nextOrder = 0;
  for (const [name, value] of Object.entries(splits.length === 0 ? rankings : {})) {
    if (value === null || typeof value !== 'object') continue;
    const ranked = value as RawRecord;
    const split = {
      name,
      order: nextOrder,
      distance: null,
      time: positive(number(ranked, 'time', `rankings["${name}"].time`)),
      net: positive(number(ranked, 'net', `rankings["${name}"].net`)),
      rawTime: positive(number(ranked, 'rawTime', `rankings["${name}"].rawTime`)),
    };
    // A ranking without any time is a split not reached yet.
    if (split.time === null && split.net === null && split.rawTime === null) continue;
    splits.push(split);
    nextOrder++;
  }
  splits.sort((a, b) => a.order - b.order);
  const ranking = (name: string) => (rankings[name] && typeof rankings[name] === 'object' ? (rankings[name] as RawRecord) : {});
  const position = (name: string, field: string) => positive(number(ranking(name), field, `rankings["${name}"].${field}`));

  const status = text(block, 'status');
  const eventDistance = number(block, 'distance');
  const last = splits.at(-1);
  const finished =
    last !== undefined &&
    (status?.toLowerCase() === 'finished' ||
      copernicoAssumptions.finishSplitNames.test(last.name) ||
      (eventDistance !== null && last.distance !== null && last.distance >= eventDistance));
  const finish = finished ? last : undefined;
  const finishRanking = finish ? ranking(finish.name) : {};
  const finishNet = finish ? positive(number(finishRanking, 'net', `rankings["${finish.name}"].net`)) ?? finish.net : null;
  const finishGun = finish ? positive(number(finishRanking, 'time', `rankings["${finish.name}"].time`)) ?? finish.time : null;

  const splitTimes = Object.fromEntries(
    splits.map((s) => [
      s.name,
      { order: s.order, distance: s.distance, time_ms: s.time, net_ms: s.net, pos: position(s.name, 'pos'), posCat: position(s.name, 'posCat'), posGen: position(s.name, 'posGen') },
    ]),
  );
  return {
    event_id: eventId,
    participant_id: requiredText(athlete, 'id'),
    bib_number: text(block, 'dorsal') ?? text(athlete, 'dorsal'),
    first_name: text(athlete, 'name'),
    last_name: text(athlete, 'surname'),
    category: text(block, 'category') ?? text(athlete, 'category'),
    start_time: epochMs(positive(number(block, 'startRawTime'))) ?? dateTime(block, 'startTime', null),
    finish_time: finish ? epochMs(finish.rawTime ?? positive(number(finishRanking, 'rawTime'))) : null,
    total_time: durationText(finishNet),
    gun_time: durationText(finishGun),
    split_times: splits.length > 0 ? JSON.stringify(splitTimes) : null,
    overall_position: finish ? position(finish.name, 'posNet') ?? position(finish.name, 'pos') : null,
    category_position: finish ? position(finish.name, 'posCatNet') ?? position(finish.name, 'posCat') : null,
    status,
    ...stamp(context),
  };
}

// ---- preset export rows -----------------------------------------------------------------------

interface PresetSplit {
  name: string;
  order: number;
  /** Net (chip) elapsed ms. */
  official: number | null;
  /** Gun elapsed ms. */
  real: number | null;
  /** Time of day of the passing, epoch ms. */
  tod: number | null;
}

/** The time columns of a preset row, split by split in the order the preset lists them. */
function presetSplits(row: RawRecord): PresetSplit[] {
  const splits = new Map<string, PresetSplit>();
  for (const key of Object.keys(row)) {
    const match = copernicoAssumptions.presetColumns.time.exec(key);
    if (!match) continue;
    const kind = match[1] as 'official' | 'real' | 'tod';
    const name = match[2].replace(/^:::/, '').replace(/:::$/, '');
    const split = splits.get(name) ?? { name, order: splits.size, official: null, real: null, tod: null };
    splits.set(name, split);
    split[kind] = positive(number(row, key));
  }
  return [...splits.values()];
}

/** A preset row mapped, with its net finish in ms for placing (placePresetResults). */
export interface PresetResult {
  row: TableRow;
  finishMs: number | null;
}

/** One preset export row as a copernico_results row; `athleteId` is the athlete it was matched to. */
export function presetResult(eventId: string, preset: RawRecord, athleteId: string, context: RowContext): PresetResult {
  const splits = presetSplits(preset);
  const finish =
    splits.find((s) => s.name.toLowerCase() === copernicoAssumptions.presetColumns.finishSplit) ??
    splits.find((s) => copernicoAssumptions.finishSplitNames.test(s.name));
  const reached = splits.filter((s) => s.official !== null || s.real !== null || s.tod !== null);
  const splitTimes = Object.fromEntries(
    reached.map((s) => [s.name, { order: s.order, distance: null, time_ms: s.real, net_ms: s.official, pos: null, posCat: null, posGen: null }]),
  );
  return {
    finishMs: finish?.official ?? null,
    row: {
      event_id: eventId,
      participant_id: athleteId,
      bib_number: text(preset, 'dorsal'),
      first_name: text(preset, 'name'),
      last_name: text(preset, 'surname'),
      category: text(preset, 'category'),
      start_time: null,
      finish_time: epochMs(finish?.tod ?? null),
      total_time: durationText(finish?.official ?? null),
      gun_time: durationText(finish?.real ?? null),
      split_times: reached.length > 0 ? JSON.stringify(splitTimes) : null,
      overall_position: null,
      category_position: null,
      status: text(preset, 'status'),
      ...stamp(context),
    },
  };
}

/**
 * Places the rows of one event's preset by net finish time, overall and within category, ties
 * sharing a place; rows without a finish, or whose status is not "finished", are not placed.
 */
export function placePresetResults(results: readonly PresetResult[]): void {
  const placed = results
    .filter((r) => r.finishMs !== null && (r.row.status === null || String(r.row.status).toLowerCase() === 'finished'))
    .sort((a, b) => a.finishMs! - b.finishMs!);
  const byCategory = new Map<string, PresetResult[]>();
  for (const item of placed) {
    if (item.row.category === null) continue;
    const category = String(item.row.category);
    const list = byCategory.get(category) ?? [];
    list.push(item);
    byCategory.set(category, list);
  }
  inPlaces(placed, (item, place) => (item.row.overall_position = place));
  for (const list of byCategory.values()) inPlaces(list, (item, place) => (item.row.category_position = place));
}

/** Walks a list sorted by finish, giving equal times the same place (1, 2, 2, 4). */
function inPlaces(sorted: readonly PresetResult[], set: (item: PresetResult, place: number) => void): void {
  let place = 0;
  sorted.forEach((item, index) => {
    if (index === 0 || item.finishMs !== sorted[index - 1].finishMs) place = index + 1;
    set(item, place);
  });
}
