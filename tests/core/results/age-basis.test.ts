import { describe, it, expect } from 'vitest';
import { ageBaseDay, ageOn, competitionAge } from '../../../src-main/core/results/age-basis.ts';

describe('age basis', () => {
  it('counts whole years up to the day before the birthday', () => {
    expect(ageOn('1996-05-11', '2026-05-10')).toBe(29);
    expect(ageOn('1996-05-11', '2026-05-11')).toBe(30);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
    expect(ageOn(null, '2026-05-10')).toBeNull();
    expect(ageOn('unknown', '2026-05-10')).toBeNull();
  });

  it('ages a runner whose birthday falls between race day and 31 December one year more on 31 December', () => {
    // Race on 2026-05-10; born 1996-08-20: 29 on race day, 30 on 31 December 2026.
    const runner = { dateOfBirth: '1996-08-20', providerAge: 29 };
    const days = { raceDate: '2026-05-10', providerDate: null };
    expect(ageBaseDay('year_end', '2026-05-10', null)).toBe('2026-12-31');
    expect(competitionAge(runner, 'race_day', days)).toBe(29);
    expect(competitionAge(runner, 'year_end', days)).toBe(30);
  });

  it("uses the provider's date when there is one, and the provider's age without a date of birth", () => {
    expect(competitionAge({ dateOfBirth: '1996-08-20', providerAge: null }, 'provider_date', { raceDate: '2026-05-10', providerDate: '2025-12-31' })).toBe(29);
    expect(competitionAge({ dateOfBirth: '1996-08-20', providerAge: null }, 'provider_date', { raceDate: '2026-09-01', providerDate: null })).toBe(30);
    expect(competitionAge({ dateOfBirth: null, providerAge: 41 }, 'year_end', { raceDate: '2026-05-10', providerDate: null })).toBe(41);
  });
});
