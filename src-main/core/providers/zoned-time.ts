/*
 * Wall-clock times a provider sends without an offset, read in the provider's own IANA zone, so the
 * stored instant is the same whatever zone the laptop runs in (Date.parse of "2026-11-15T09:00:00"
 * would use the laptop's).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** True for a zone name the runtime knows ("America/New_York"). */
export function isTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in ms, as Intl says (New York in winter: -5 h). */
function intlOffsetAt(epochMs: number, zone: string): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(epochMs))) fields[part.type] = Number(part.value);
  const asUtc = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/*
 * Asking Intl costs a few µs, and a sync asks twice for every timestamp it reads: most of the
 * time a page spent in mapping. Offsets are kept per zone and UTC hour. An hour whose first and
 * last second have the same offset has it throughout (no zone changes its offset twice within an
 * hour); an hour with a change in it (which need not fall on the hour: Lord Howe's at :30,
 * Monrovia's 1972 one at 00:44:30 UTC) is asked of Intl for each instant.
 */
const hourMs = 3_600_000;
/** Per zone: UTC hour -> its offset, or null for an hour with a change in it. */
const hourOffsets = new Map<string, Map<number, number | null>>();
/** Hours kept per zone (over eleven years): bounded memory whatever the dates read. */
const hoursKept = 100_000;

/** The zone's offset from UTC at an instant, in ms (New York in winter: -5 h). */
function offsetAt(epochMs: number, zone: string): number {
  let hours = hourOffsets.get(zone);
  if (!hours) hourOffsets.set(zone, (hours = new Map()));
  const hour = Math.floor(epochMs / hourMs);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const first = intlOffsetAt(hour * hourMs, zone);
    offset = first === intlOffsetAt((hour + 1) * hourMs - 1000, zone) ? first : null;
    if (hours.size >= hoursKept) hours.clear();
    hours.set(hour, offset);
  }
  return offset ?? intlOffsetAt(epochMs, zone);
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * "2025-02-11T07:45:00" as wall-clock time in `zone` -> "2025-02-11T12:45:00.000Z". Null when the
 * text is not such a local date-time or the zone is unknown.
 */
export function zonedToUtc(local: string, zone: string): string | null {
  const match = localPattern.exec(local);
  if (!match || !isTimeZone(zone)) return null;
  const [, y, mo, d, h, mi, s, ms] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  // The offset at the wall time itself, then again at the result: right on both sides of a DST change.
  let instant = wall - offsetAt(wall, zone);
  instant = wall - offsetAt(instant, zone);
  return new Date(instant).toISOString();
}

const instantPattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The one reader of providers' timestamps: ISO-8601 text -> the instant as the store keeps it,
 * "2026-11-15T08:00:00.000Z", worked out from the text's own fields, so the laptop's time zone never
 * enters (Date.parse reads text without an offset in the laptop's zone). Offsets: "Z", "±HH:MM",
 * Race Roster's "±HHMM", "±HH". Text without an offset is wall-clock time in `naive.zone`, or UTC
 * with naive 'utc', and not an instant (null) without either; so are impossible dates and times.
 */
export function utcInstant(text: string, naive: 'utc' | { zone: string } | null = null): string | null {
  const match = instantPattern.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((fraction ?? '0').slice(0, 3).padEnd(3, '0')));
  const back = new Date(wall);
  const real =
    back.getUTCFullYear() === Number(y) && back.getUTCMonth() === Number(mo) - 1 && back.getUTCDate() === Number(d) &&
    back.getUTCHours() === Number(h) && back.getUTCMinutes() === Number(mi) && back.getUTCSeconds() === Number(s ?? 0);
  if (!real) return null;
  if (offset === undefined) {
    if (naive === 'utc') return back.toISOString();
    return naive ? zonedToUtc(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}.${(fraction ?? '0').slice(0, 3).padEnd(3, '0')}`, naive.zone) : null;
  }
  if (offset === 'Z') return back.toISOString();
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 23 || minutes > 59) return null;
  const sign = offset.startsWith('-') ? -1 : 1;
  return new Date(wall - sign * (hours * 60 + minutes) * 60_000).toISOString();
}
