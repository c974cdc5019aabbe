import { ageGroupFor } from './age-groups.ts';
import type { ResultStatus } from './status.ts';

export type PlaceBy = 'chip' | 'gun';

export interface PlacingEntry {
  key: string;
  gender: string | null;
  age: number | null;
  status: ResultStatus | null;
  chipTimeMs: number | null;
  gunTimeMs: number | null;
}

export interface Placing {
  overallPlace: number | null;
  genderPlace: number | null;
  ageGroup: string | null;
  ageGroupPlace: number | null;
}

/*
 * The time an entry is placed by. A runner whose start mat read was missed has only a gun time,
 * and an export with one time column gives only one of the two: results services then place on
 * the time there is rather than leaving a finisher unplaced.
 */
export function placingTime(entry: Pick<PlacingEntry, 'chipTimeMs' | 'gunTimeMs'>, placeBy: PlaceBy): number | null {
  return placeBy === 'chip' ? (entry.chipTimeMs ?? entry.gunTimeMs) : (entry.gunTimeMs ?? entry.chipTimeMs);
}

/** Finishers with a time get places; DNF, DNS, DQ and runners without a time get none. */
function isPlaced(entry: PlacingEntry, placeBy: PlaceBy): boolean {
  return (entry.status === 'FIN' || entry.status === null) && placingTime(entry, placeBy) !== null;
}

/**
 * Overall, gender and age-group places, with competition ranking: equal times share a place and
 * the next place skips (1, 2, 2, 4). Age groups are placed within gender (F 30-39), as results
 * services award them.
 */
export function computePlacings(entries: readonly PlacingEntry[], options: { placeBy: PlaceBy; brackets: readonly number[] }): Map<string, Placing> {
  const placings = new Map<string, Placing>();
  for (const entry of entries) {
    placings.set(entry.key, { overallPlace: null, genderPlace: null, ageGroup: ageGroupFor(entry.age, options.brackets), ageGroupPlace: null });
  }
  const finishers = entries
    .filter((entry) => isPlaced(entry, options.placeBy))
    .map((entry) => ({ entry, time: placingTime(entry, options.placeBy) as number }))
    .sort((a, b) => a.time - b.time);

  const rank = (group: typeof finishers, assign: (placing: Placing, place: number) => void) => {
    let place = 0;
    group.forEach(({ entry, time }, index) => {
      if (index === 0 || time !== group[index - 1].time) place = index + 1;
      assign(placings.get(entry.key) as Placing, place);
    });
  };
  rank(finishers, (placing, place) => (placing.overallPlace = place));
  for (const group of groupBy(finishers, ({ entry }) => entry.gender)) {
    rank(group, (placing, place) => (placing.genderPlace = place));
  }
  for (const group of groupBy(finishers, ({ entry }) => {
    const ageGroup = placings.get(entry.key)?.ageGroup ?? null;
    return entry.gender !== null && ageGroup !== null ? `${entry.gender} ${ageGroup}` : null;
  })) {
    rank(group, (placing, place) => (placing.ageGroupPlace = place));
  }
  return placings;
}

/** Groups in order of first appearance; items whose key is null belong to no group. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}
