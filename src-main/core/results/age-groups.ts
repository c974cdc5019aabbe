import { z } from 'zod';

/*
 * Age-group brackets per event, as the lower bound of each group in ascending order:
 * [0, 20, 30, 40] gives 0-19, 20-29, 30-39, 40+. Five-year groups are [0, 15, 20, 25, ...].
 */
export const ageBracketsSchema = z
  .array(z.number().int().min(0).max(120))
  .min(1)
  .refine((bounds) => bounds.every((bound, i) => i === 0 || bound > bounds[i - 1]), 'age brackets must be in ascending order without repeats');

export const defaultAgeBrackets: readonly number[] = [0, 20, 30, 40, 50, 60, 70];

/** The label of the group an age falls in ("30-39", "70+"), or null without an age or below the first bracket. */
export function ageGroupFor(age: number | null, brackets: readonly number[]): string | null {
  if (age === null) return null;
  for (let i = brackets.length - 1; i >= 0; i--) {
    if (age >= brackets[i]) return i === brackets.length - 1 ? `${brackets[i]}+` : `${brackets[i]}-${brackets[i + 1] - 1}`;
  }
  return null;
}

/** "0-19,20-29,70+" or "0,20,30,70" (what crews type) -> lower bounds. */
export function parseAgeBrackets(text: string): number[] {
  const bounds = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => Number(/^(\d+)/.exec(part)?.[1] ?? Number.NaN));
  return ageBracketsSchema.parse(bounds);
}
