import { describe, it, expect } from 'vitest';
import { parseRaceTime, formatRaceTime, displayRaceTime, raceTimeDigits } from '../../../src-main/core/results/time.ts';

const ms = (text: string) => {
  const parsed = parseRaceTime(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ms;
};

describe('parseRaceTime', () => {
  it('reads the forms timing exports write', () => {
    expect(ms('1:02:03')).toBe(3_723_000);
    expect(ms('01:02:03')).toBe(3_723_000);
    expect(ms('25:12')).toBe(1_512_000);
    expect(ms('75:12')).toBe(4_512_000); // mm:ss past the hour, as RunScore prints long races
    expect(ms('25:12.4')).toBe(1_512_400); // tenths
    expect(ms('25:12.37')).toBe(1_512_370); // hundredths
    expect(ms('1:02:03.456')).toBe(3_723_456); // milliseconds
    expect(ms('1:02:03,456')).toBe(3_723_456); // decimal comma
    expect(ms('10.23')).toBe(10_230); // seconds only (FinishLynx sprints)
    expect(ms('10.2345')).toBe(10_234); // past the millisecond is dropped
    expect(ms(' 0:59:59.9 ')).toBe(3_599_900);
  });

  it('treats blanks as no time', () => {
    expect(ms('')).toBeNull();
    expect(ms('   ')).toBeNull();
    expect(ms('-')).toBeNull();
  });

  it('explains what is wrong with a bad time', () => {
    for (const bad of ['1:61:00', '12:75', 'abc', '1:2:3:4', '12:3a', '-5:00']) {
      const parsed = parseRaceTime(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toContain(bad);
    }
  });
});

describe('formatting', () => {
  it('writes H:MM:SS.mmm for the unified views and a short form for people', () => {
    expect(formatRaceTime(3_723_456)).toBe('1:02:03.456');
    expect(formatRaceTime(1_512_400)).toBe('0:25:12.400');
    expect(formatRaceTime(null)).toBeNull();
    expect(displayRaceTime(1_512_400, 1)).toBe('25:12.4');
    expect(displayRaceTime(3_723_000, 0)).toBe('1:02:03');
    expect(displayRaceTime(65_050, 2)).toBe('1:05.05');
  });

  it('shows every time of a list with one precision, the finest its times need', () => {
    const times = [1_092_200, 1_022_780, null, 1_200_000];
    expect(raceTimeDigits(times)).toBe(2);
    expect(times.map((ms) => displayRaceTime(ms, raceTimeDigits(times)))).toEqual(['18:12.20', '17:02.78', '', '20:00.00']);
    expect(raceTimeDigits([3_723_000, null])).toBe(0);
    expect(raceTimeDigits([3_723_001, 1_000_100])).toBe(3);
  });
});
