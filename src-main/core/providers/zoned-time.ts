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

/** The zone's offset from UTC at an instant, in ms (New York in winter: -5 h). */
function offsetAt(epochMs: number, zone: string): number {
  const parts = Object.fromEntries(formatterFor(zone).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
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
