import { ageGroupFor } from './age-groups.ts';
import type { ResultStatus } from './status.ts';

export type PlaceBy = 'chip' | 'gun';

export interface PlacingEntry {
  key: string;
  /** The race (distance) within the event; null where the event is the distance or the race is not known. */
  race?: string | null;
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

/**
 * The time places were decided by, as said to the crew: the setting, unless not one result has
 * that time and some have the other (a gun-time-only file placed "by chip time" is placed by gun).
 */
export function placedBy(placeBy: PlaceBy, entries: ReadonlyArray<Pick<PlacingEntry, 'chipTimeMs' | 'gunTimeMs'>>): PlaceBy {
  const has = (time: 'chipTimeMs' | 'gunTimeMs') => entries.some((entry) => entry[time] !== null);
  if (placeBy === 'chip' && !has('chipTimeMs') && has('gunTimeMs')) return 'gun';
  if (placeBy === 'gun' && !has('gunTimeMs') && has('chipTimeMs')) return 'chip';
  return placeBy;
}

/** Finishers with a time get places; DNF, DNS, DQ and runners without a time get none. */
function isPlaced(entry: PlacingEntry, placeBy: PlaceBy): boolean {
  return (entry.status === 'FIN' || entry.status === null) && placingTime(entry, placeBy) !== null;
}

export interface PlacingOptions {
  placeBy: PlaceBy;
  brackets: readonly number[];
  /** The top N of each gender (per race) take no age-group place, and the next runner moves up; 0 or absent excludes nobody. */
  excludeOverallPlaces?: number;
}

/**
 * Overall, gender and age-group places, with competition ranking: equal times share a place and
 * the next place skips (1, 2, 2, 4). Age groups are placed within gender (F 30-39), as results
 * services award them.
 *
 * Places are per race: a 5K runner and a half marathoner of one ChronoTrack event never share a
 * ranking. Where some entries have a race and others do not (a walk-up in a multi-race event),
 * those without cannot be placed against anyone and get no places; where no entry has a race
 * (the event is the distance), the event is one race.
 */
export function computePlacings(entries: readonly PlacingEntry[], options: PlacingOptions): Map<string, Placing> {
  const placings = new Map<string, Placing>();
  for (const entry of entries) {
    placings.set(entry.key, { overallPlace: null, genderPlace: null, ageGroup: ageGroupFor(entry.age, options.brackets), ageGroupPlace: null });
  }
  const finishers = entries
    .filter((entry) => isPlaced(entry, options.placeBy))
    .map((entry) => ({ entry, time: placingTime(entry, options.placeBy) as number }))
    .sort((a, b) => a.time - b.time);
  const someRaceKnown = entries.some((entry) => (entry.race ?? null) !== null);
  const races = groupBy(finishers, ({ entry }) => entry.race ?? (someRaceKnown ? null : ''));
  for (const race of races) placeRace(race, placings, options.excludeOverallPlaces ?? 0);
  return placings;
}

type Finisher = { entry: PlacingEntry; time: number };

function placeRace(finishers: Finisher[], placings: Map<string, Placing>, excludeOverallPlaces: number): void {
  const placingOf = (finisher: Finisher) => placings.get(finisher.entry.key) as Placing;
  const rank = (group: Finisher[], assign: (placing: Placing, place: number) => void) => {
    let place = 0;
    group.forEach((finisher, index) => {
      if (index === 0 || finisher.time !== group[index - 1].time) place = index + 1;
      assign(placingOf(finisher), place);
    });
  };
  rank(finishers, (placing, place) => (placing.overallPlace = place));
  for (const group of groupBy(finishers, ({ entry }) => entry.gender)) {
    rank(group, (placing, place) => (placing.genderPlace = place));
  }
  // Overall award winners (by gender place, so ties at the cut are all excluded) leave the age groups.
  const inAgeGroups = finishers.filter((finisher) => {
    const genderPlace = placingOf(finisher).genderPlace;
    return excludeOverallPlaces === 0 || genderPlace === null || genderPlace > excludeOverallPlaces;
  });
  for (const group of groupBy(inAgeGroups, (finisher) => {
    const ageGroup = placingOf(finisher).ageGroup;
    return finisher.entry.gender !== null && ageGroup !== null ? `${finisher.entry.gender} ${ageGroup}` : null;
  })) {
    rank(group, (placing, place) => (placing.ageGroupPlace = place));
  }
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
