import { describe, it, expect } from 'vitest';
import { computePlacings, type PlacingEntry } from '../../../src-main/core/results/placings.ts';
import { ageGroupFor, parseAgeBrackets } from '../../../src-main/core/results/age-groups.ts';

const min = (m: number, s = 0) => (m * 60 + s) * 1000;

/*
 * Hand-checked example, placed by chip time with brackets 0-19, 20-29, 30-39, 40-49, 50+:
 *   A M25 20:00   overall 1, M 1, M20-29 1
 *   B F34 21:00   overall 2 (tie), F 1, F30-39 1
 *   C M31 21:00   overall 2 (tie), M 2, M30-39 1
 *   I M38 gun-only 22:00 (missed start mat: placed on the gun time)   overall 4 (skips 3), M 3, M30-39 2
 *   D M28 22:30   overall 5, M 4, M20-29 2
 *   E F45 23:00   overall 6, F 2, F40-49 1
 *   H X, no age, 24:00   overall 7, X 1, no age group
 *   F M33 DNF; G F29 DQ with a time (faster than everyone): no places, age group still shown
 */
const entries: PlacingEntry[] = [
  { key: 'F', gender: 'M', age: 33, status: 'DNF', chipTimeMs: null, gunTimeMs: null },
  { key: 'A', gender: 'M', age: 25, status: 'FIN', chipTimeMs: min(20), gunTimeMs: min(20, 30) },
  { key: 'G', gender: 'F', age: 29, status: 'DQ', chipTimeMs: min(19), gunTimeMs: min(19) },
  { key: 'B', gender: 'F', age: 34, status: 'FIN', chipTimeMs: min(21), gunTimeMs: min(21, 40) },
  { key: 'C', gender: 'M', age: 31, status: 'FIN', chipTimeMs: min(21), gunTimeMs: min(21, 10) },
  { key: 'D', gender: 'M', age: 28, status: 'FIN', chipTimeMs: min(22, 30), gunTimeMs: min(22, 31) },
  { key: 'E', gender: 'F', age: 45, status: 'FIN', chipTimeMs: min(23), gunTimeMs: min(23, 50) },
  { key: 'H', gender: 'X', age: null, status: 'FIN', chipTimeMs: min(24), gunTimeMs: min(24) },
  { key: 'I', gender: 'M', age: 38, status: 'FIN', chipTimeMs: null, gunTimeMs: min(22) },
];
const brackets = [0, 20, 30, 40, 50];

describe('computePlacings', () => {
  it('places overall, by gender and by age group with ties and non-finishers', () => {
    const placings = computePlacings(entries, { placeBy: 'chip', brackets });
    const table = Object.fromEntries([...placings].map(([key, p]) => [key, [p.overallPlace, p.genderPlace, p.ageGroup, p.ageGroupPlace]]));
    expect(table).toEqual({
      A: [1, 1, '20-29', 1],
      B: [2, 1, '30-39', 1],
      C: [2, 2, '30-39', 1],
      I: [4, 3, '30-39', 2],
      D: [5, 4, '20-29', 2],
      E: [6, 2, '40-49', 1],
      H: [7, 1, null, null],
      F: [null, null, '30-39', null],
      G: [null, null, '20-29', null],
    });
  });

  it('places by gun time when the event says so', () => {
    const placings = computePlacings(entries, { placeBy: 'gun', brackets });
    // Gun: A 20:30, C 21:10, B 21:40, I 22:00, D 22:31, H 24:00, E 23:50
    expect(['A', 'C', 'B', 'I', 'D', 'E', 'H'].map((key) => placings.get(key)?.overallPlace)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('shares a place among three equal times and skips the next two', () => {
    const tied = ['a', 'b', 'c', 'd'].map((key, i) => ({ key, gender: 'F', age: 30, status: 'FIN' as const, chipTimeMs: i < 3 ? 1000 : 2000, gunTimeMs: null }));
    expect([...computePlacings(tied, { placeBy: 'chip', brackets }).values()].map((p) => p.overallPlace)).toEqual([1, 1, 1, 4]);
  });
});

/*
 * Hand-checked age-group table of one race, by chip time, brackets 0-19, 20-29, 30-39, 40-49, 50+:
 *   runner  age  time   overall  gender  age group   AG place   AG place, top 2 of each gender excluded
 *   M1  M   25   60:00  1        M 1     M20-29      1          - (overall winner)
 *   M2  M   34   61:00  2        M 2     M30-39      1          - (overall winner)
 *   M3  M   27   62:00  3        M 3     M20-29      2          1 (moves up)
 *   F1  F   41   62:30  4        F 1     F40-49      1          - (overall winner)
 *   M4  M   29   63:00  5        M 4     M20-29      3          2
 *   M5  M   31   64:00  6        M 5     M30-39      2          1
 *   M6  M   22   65:00  7        M 6     M20-29      4          3
 *   F2  F   45   66:00  8        F 2     F40-49      2          - (overall winner)
 *   F3  F   38   67:00  9        F 3     F30-39      1          1
 */
const ageGroupRace: PlacingEntry[] = [
  ['M1', 'M', 25, 60], ['M2', 'M', 34, 61], ['M3', 'M', 27, 62], ['F1', 'F', 41, 62.5], ['M4', 'M', 29, 63],
  ['M5', 'M', 31, 64], ['M6', 'M', 22, 65], ['F2', 'F', 45, 66], ['F3', 'F', 38, 67],
].map(([key, gender, age, minutes]) => ({ key: key as string, gender: gender as string, age: age as number, status: 'FIN' as const, chipTimeMs: (minutes as number) * 60_000, gunTimeMs: null }));

const ageGroupTable = (placings: Map<string, { overallPlace: number | null; genderPlace: number | null; ageGroup: string | null; ageGroupPlace: number | null }>) =>
  Object.fromEntries([...placings].map(([key, p]) => [key, [p.overallPlace, p.genderPlace, p.ageGroup, p.ageGroupPlace]]));

describe('age-group awards', () => {
  it('gives overall winners their age-group places when nobody is excluded', () => {
    expect(ageGroupTable(computePlacings(ageGroupRace, { placeBy: 'chip', brackets }))).toEqual({
      M1: [1, 1, '20-29', 1], M2: [2, 2, '30-39', 1], M3: [3, 3, '20-29', 2], F1: [4, 1, '40-49', 1], M4: [5, 4, '20-29', 3],
      M5: [6, 5, '30-39', 2], M6: [7, 6, '20-29', 4], F2: [8, 2, '40-49', 2], F3: [9, 3, '30-39', 1],
    });
  });

  it('moves the next runner up when the top 2 of each gender are excluded from age groups', () => {
    expect(ageGroupTable(computePlacings(ageGroupRace, { placeBy: 'chip', brackets, excludeOverallPlaces: 2 }))).toEqual({
      M1: [1, 1, '20-29', null], M2: [2, 2, '30-39', null], M3: [3, 3, '20-29', 1], F1: [4, 1, '40-49', null], M4: [5, 4, '20-29', 2],
      M5: [6, 5, '30-39', 1], M6: [7, 6, '20-29', 3], F2: [8, 2, '40-49', null], F3: [9, 3, '30-39', 1],
    });
  });

  it('excludes everyone tied at the cut', () => {
    const tied = [
      { key: 'a', gender: 'F', age: 30, status: 'FIN' as const, chipTimeMs: 1000, gunTimeMs: null },
      { key: 'b', gender: 'F', age: 31, status: 'FIN' as const, chipTimeMs: 1000, gunTimeMs: null },
      { key: 'c', gender: 'F', age: 32, status: 'FIN' as const, chipTimeMs: 2000, gunTimeMs: null },
    ];
    const placings = computePlacings(tied, { placeBy: 'chip', brackets, excludeOverallPlaces: 1 });
    expect(['a', 'b', 'c'].map((key) => placings.get(key)?.ageGroupPlace)).toEqual([null, null, 1]);
  });
});

describe('places per race', () => {
  it('ranks each race on its own and leaves entries of no known race unplaced beside races', () => {
    const entry = (key: string, race: string | null, minutes: number): PlacingEntry => ({ key, race, gender: 'M', age: 30, status: 'FIN', chipTimeMs: minutes * 60_000, gunTimeMs: null });
    const placings = computePlacings([entry('half-1', 'half', 80), entry('5k-1', '5k', 16), entry('5k-2', '5k', 18), entry('walk-up', null, 15)], { placeBy: 'chip', brackets });
    expect(Object.fromEntries([...placings].map(([key, p]) => [key, [p.overallPlace, p.genderPlace, p.ageGroupPlace]]))).toEqual({
      'half-1': [1, 1, 1], '5k-1': [1, 1, 1], '5k-2': [2, 2, 2], 'walk-up': [null, null, null],
    });
    // Where no entry has a race, the event is the race.
    expect(computePlacings([entry('x', null, 20), entry('y', null, 19)], { placeBy: 'chip', brackets }).get('x')?.overallPlace).toBe(2);
  });
});

describe('age groups', () => {
  it('labels brackets and reads what crews type', () => {
    expect(ageGroupFor(19, [0, 20, 30])).toBe('0-19');
    expect(ageGroupFor(20, [0, 20, 30])).toBe('20-29');
    expect(ageGroupFor(77, [0, 20, 30])).toBe('30+');
    expect(ageGroupFor(10, [15, 20])).toBeNull();
    expect(parseAgeBrackets('0-19, 20-29, 30-39, 40+')).toEqual([0, 20, 30, 40]);
    expect(parseAgeBrackets('0,15,20,25')).toEqual([0, 15, 20, 25]);
    expect(() => parseAgeBrackets('30,20')).toThrow(/ascending/);
  });
});
