/*
 * Race times as timing software writes them: "1:02:03", "02:03" (mm:ss, minutes may pass 59),
 * "1:02:03.4" (tenths), "25:12.37" (hundredths), "1:02:03.456" (ms), "1:02:03,456" (European
 * decimal comma), "10.23" (seconds only, FinishLynx sprints). Times are kept as integer
 * milliseconds; digits past the millisecond are dropped (no export we read carries real
 * sub-millisecond precision, FinishLynx's fourth digit is display rounding).
 */

/*
 * No race lasts 1,000 hours (the longest multi-day races run a few hundred), so a longer value
 * is a typo or a different column (a timestamp, a chip code). Bounding it here keeps every time
 * an exact integer the database stores, and rejects it in the preview and the import alike.
 */
export const maxRaceTimeMs = 1000 * 3_600_000 - 1;

export type ParsedTime = { ok: true; ms: number | null } | { ok: false; reason: string };

const timePattern = /^(?:(?:(\d+):)?(\d+):)?(\d+)(?:[.,](\d+))?$/;

/** Parses one cell; blank (or a lone "-") means "no time", which is not an error. */
export function parseRaceTime(raw: string | null | undefined): ParsedTime {
  const text = (raw ?? '').trim();
  if (text === '' || text === '-' || text === '--') return { ok: true, ms: null };
  const match = timePattern.exec(text);
  if (!match) return { ok: false, reason: `"${shorten(text)}" is not a time (expected h:mm:ss, mm:ss or seconds, optionally with a fraction)` };
  const [, hoursText, minutesText, secondsText, fraction] = match;
  const hours = hoursText === undefined ? 0 : Number(hoursText);
  const minutes = minutesText === undefined ? 0 : Number(minutesText);
  const seconds = Number(secondsText);
  // Only the leading unit may overflow ("75:12" is 75 minutes); inner units must be below 60.
  if (minutesText !== undefined && seconds >= 60) return { ok: false, reason: `"${shorten(text)}" has ${seconds} seconds` };
  if (hoursText !== undefined && minutes >= 60) return { ok: false, reason: `"${shorten(text)}" has ${minutes} minutes` };
  const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + (fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (ms > maxRaceTimeMs) return { ok: false, reason: `"${shorten(text)}" is longer than any race (at most 999:59:59.999)` };
  return { ok: true, ms };
}

const shorten = (text: string) => (text.length > 24 ? `${text.slice(0, 20)}...` : text);

/** "H:MM:SS.mmm", the same text the unified views use for provider intervals. */
export function formatRaceTime(ms: number | null): string | null {
  if (ms === null) return null;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${hours}:${pad(minutes)}:${pad(seconds)}.${pad(ms % 1000, 3)}`;
}

/**
 * The fraction digits (0-3) that show every one of these times exactly: a list shows all its
 * times with the same precision, so "18:12.20" stands beside "17:02.78", never "18:12.2".
 */
export function raceTimeDigits(times: Iterable<number | null>): number {
  let digits = 0;
  for (const ms of times) {
    if (ms === null) continue;
    const millis = ms % 1000;
    const needed = millis === 0 ? 0 : millis % 100 === 0 ? 1 : millis % 10 === 0 ? 2 : 3;
    if (needed > digits) digits = needed;
    if (digits === 3) break;
  }
  return digits;
}

/** Shorter form for screens and exports: "25:12.4" / "1:02:03", with `digits` fraction digits (raceTimeDigits). */
export function displayRaceTime(ms: number | null, digits: number): string {
  if (ms === null) return '';
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  // Times are whole milliseconds and digits cover them all, so this cuts only zeros.
  const fraction = digits === 0 ? '' : `.${String(ms % 1000).padStart(3, '0').slice(0, digits)}`;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}${fraction}` : `${minutes}:${pad(seconds)}${fraction}`;
}
