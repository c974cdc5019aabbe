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
