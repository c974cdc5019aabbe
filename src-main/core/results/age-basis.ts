import { z } from 'zod';

/*
 * The day a runner's age is taken on, for age groups. Most road races use the age on race day;
 * some (track, cross-country, masters series) use the age on 31 December of the race year, so
 * a runner stays in one group all season; RunSignUp events may set age_calc_base_date.
 */
export const ageBases = ['race_day', 'year_end', 'provider_date'] as const;
export const ageBasisSchema = z.enum(ageBases);
export type AgeBasis = z.output<typeof ageBasisSchema>;

export const ageBasisLabels: Record<AgeBasis, string> = {
  race_day: 'age on race day',
  year_end: 'age on 31 December of the race year',
  provider_date: "age on the provider's age calculation date",
};

/** Whole years from a 'YYYY-MM-DD' birth date to a 'YYYY-MM-DD' day; null when either is missing or not a date. */
export function ageOn(dateOfBirth: string | null, day: string | null): number | null {
  const born = parseDay(dateOfBirth);
  const on = parseDay(day);
  if (!born || !on) return null;
  const beforeBirthday = on.month < born.month || (on.month === born.month && on.day < born.day);
  return on.year - born.year - (beforeBirthday ? 1 : 0);
}

/** The day ages are taken on under the basis; the provider's date falls back to race day where the event has none. */
export function ageBaseDay(basis: AgeBasis, raceDate: string | null, providerDate: string | null): string | null {
  if (basis === 'provider_date') return providerDate ?? raceDate;
  if (basis === 'year_end') return raceDate === null ? null : `${raceDate.slice(0, 4)}-12-31`;
  return raceDate;
}

/**
 * The age an entrant competes at: from the date of birth on the basis day when both are known,
 * else the provider's own age (which the provider computed on its own rule, so the basis cannot
 * change it).
 */
export function competitionAge(
  entrant: { dateOfBirth: string | null; providerAge: number | null },
  basis: AgeBasis,
  days: { raceDate: string | null; providerDate: string | null },
): number | null {
  return ageOn(entrant.dateOfBirth, ageBaseDay(basis, days.raceDate, days.providerDate)) ?? entrant.providerAge;
}

function parseDay(text: string | null): { year: number; month: number; day: number } | null {
  const match = text === null ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
}
