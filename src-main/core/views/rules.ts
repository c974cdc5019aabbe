import { resultStatusWords, type ResultStatus } from '../results/status.ts';

/*
 * The rules the laptop's and the hub's unified views share, written once and spelled for each
 * database: store/views.ts builds the SQLite views from them, hub/views.ts the PostgreSQL ones, and
 * tests/core/views/parity.test.ts loads the same rows into both and compares every view.
 */
export type Dialect = 'sqlite' | 'postgres';

/** 'M' | 'F' | 'X' | NULL from any provider's spelling: first letter, W(oman) is F, N(on-binary) is X. */
export function genderOf(dialect: Dialect, column: string): string {
  const initial = dialect === 'sqlite' ? `upper(substr(trim(${column}), 1, 1))` : `upper(left(btrim(${column}), 1))`;
  return `CASE ${initial}
      WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'W' THEN 'F' WHEN 'X' THEN 'X' WHEN 'N' THEN 'X' END`;
}

/** Whole years from a date of birth to the calendar day of `day` (a date or a timestamp). */
export function ageOn(dialect: Dialect, dob: string, day: string): string {
  if (dialect === 'postgres') return `date_part('year', age((${day})::date, ${dob}))::integer`;
  const date = `date(${day})`;
  return `CASE WHEN ${dob} IS NOT NULL AND ${date} IS NOT NULL THEN
      (CAST(strftime('%Y', ${date}) AS INTEGER) - CAST(strftime('%Y', ${dob}) AS INTEGER))
      - (strftime('%m-%d', ${date}) < strftime('%m-%d', ${dob})) END`;
}

/** The unified views' status words, for crew_results' stored codes. */
const unifiedStatusOf: Record<ResultStatus, string> = { FIN: 'finished', DNF: 'dnf', DNS: 'dns', DQ: 'dq' };

const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * A provider's or the crew's status word as finished / dnf / dns / dq, by the one spelling list
 * crew imports also read (results/status.ts); `otherwise` for a word that is not one of them.
 */
export function unifiedStatus(word: string, otherwise = 'NULL'): string {
  const arms = Object.entries(resultStatusWords).map(([spelling, status]) => `WHEN ${quoted(spelling)} THEN '${unifiedStatusOf[status]}'`);
  return `CASE lower(trim(${word})) ${arms.join(' ')} ELSE ${otherwise} END`;
}

/**
 * A duration as the views show it, 'H:MM:SS.mmm' ("0:40:10.400"), from integer milliseconds:
 * the format copernico/mapping.ts's durationText stores on the laptop.
 */
export function durationFromMs(dialect: Dialect, ms: string): string {
  if (dialect === 'sqlite') {
    return `CASE WHEN ${ms} IS NOT NULL THEN
      printf('%d:%02d:%02d.%03d', ${ms} / 3600000, ${ms} / 60000 % 60, ${ms} / 1000 % 60, ${ms} % 1000) END`;
  }
  const part = (expr: string, width: number) => `lpad((${expr})::text, ${width}, '0')`;
  return `CASE WHEN ${ms} IS NOT NULL THEN
      format('%s:%s:%s.%s', ${ms} / 3600000, ${part(`${ms} / 60000 % 60`, 2)}, ${part(`${ms} / 1000 % 60`, 2)}, ${part(`${ms} % 1000`, 3)}) END`;
}

/**
 * A stored duration column in the views' format: the laptop keeps the text already (SQLite has no
 * interval type), the hub an INTERVAL.
 */
export function storedDuration(dialect: Dialect, column: string): string {
  if (dialect === 'sqlite') return column;
  return durationFromMs(dialect, `(round(extract(epoch FROM ${column}) * 1000))::bigint`);
}
