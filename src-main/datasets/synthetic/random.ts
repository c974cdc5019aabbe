/*
 * The seeded randomness behind every synthetic dataset (provider simulators, demo mode,
 * benchmarks, property tests): the same seed gives the same world on every machine, so tests can
 * name records and a failing run replays exactly.
 */

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks one item per call, spending exactly one draw whatever the list's length. */
export function picker(random: Random): <T>(list: readonly T[]) => T {
  return (list) => list[Math.floor(random() * list.length)];
}

/** A "YYYY-MM-DD" birthdate in [firstYear, firstYear + years), drawing year, month and day in that order. */
export function randomBirthdate(random: Random, firstYear: number, years: number): { year: number; date: string } {
  const year = firstYear + Math.floor(random() * years);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return { year, date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}
