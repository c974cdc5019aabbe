import { describe, it, expect } from 'vitest';
import { detectMapping, checkMappingAgainst, headerSignature } from '../../../src-main/core/results/mapping.ts';
import { parseDelimited } from '../../../src-main/core/results/delimited.ts';
import { parseStatusCell } from '../../../src-main/core/results/status.ts';

describe('detectMapping', () => {
  it('recognises obvious headers without a saved mapping', () => {
    expect(detectMapping(['Place', 'Bib', 'Name', 'Chip Time', 'Gun Time', '5K Split', '10K', 'Pace', 'Status'])).toEqual({
      bib: 'Bib',
      chipTime: 'Chip Time',
      gunTime: 'Gun Time',
      status: 'Status',
      splits: { '5K': '5K Split', '10K': '10K' },
    });
  });

  it('takes a lone Time column as the chip time and other bib spellings', () => {
    expect(detectMapping(['Bib #', 'Time'])).toMatchObject({ bib: 'Bib #', chipTime: 'Time', gunTime: undefined });
    expect(detectMapping(['No.', 'Net Time', 'Clock Time'])).toMatchObject({ bib: 'No.', chipTime: 'Net Time', gunTime: 'Clock Time' });
    expect(detectMapping(['5K Pace', 'Bib', 'Time'])?.splits).toEqual({});
  });

  it('gives up without a bib column', () => {
    expect(detectMapping(['Runner', 'Result'])).toBeUndefined();
  });

  it('checks a mapping against the file and names missing columns', () => {
    const table = parseDelimited('Startnr,Zeit\n1,20:00\n');
    expect(() => checkMappingAgainst({ bib: 'Startnr', chipTime: 'Netto', splits: {} }, table)).toThrow(/"Netto".*"Startnr", "Zeit"/);
    expect(() => checkMappingAgainst({ bib: 'Startnr', splits: {} }, table)).toThrow(/no result/);
    expect(() => checkMappingAgainst({ bib: 'Startnr', chipTime: 'Zeit', splits: {} }, table)).not.toThrow();
  });

  it('identifies a layout by its headers regardless of spacing and case', () => {
    expect(headerSignature(['Bib', 'Chip Time'])).toBe(headerSignature(['BIB', 'chip_time']));
  });
});

describe('parseStatusCell', () => {
  it('folds the spellings exports use', () => {
    const status = (text: string) => {
      const parsed = parseStatusCell(text);
      return parsed.ok ? parsed.status : `error: ${parsed.reason}`;
    };
    expect(['', 'Finished', '12', 'DNF', 'Did not finish', 'DSQ', 'Disqualified', 'scr', 'DNS'].map(status)).toEqual([
      null, 'FIN', 'FIN', 'DNF', 'DNF', 'DQ', 'DQ', 'DNS', 'DNS',
    ]);
    expect(status('Lost')).toMatch(/error: status "Lost"/);
  });
});

describe('readResultLine', () => {
  it('takes a status written in the time column (RunScore) and keeps bad cells as problems', async () => {
    const { readResultLine } = await import('../../../src-main/core/results/result-row.ts');
    const mapping = { bib: 'Bib', chipTime: 'Time', splits: { '5K': '5K' } };
    expect(readResultLine({ line: 2, cells: { Bib: ' 12 ', Time: 'DNF', '5K': '20:00' } }, mapping)).toEqual({
      line: 2, bib: '12', chipTimeMs: null, gunTimeMs: null, splits: { '5K': 1_200_000 }, status: 'DNF', problems: [],
    });
    expect(readResultLine({ line: 3, cells: { Bib: '', Time: '9:99', '5K': '' } }, mapping).problems).toEqual([
      'no bib number',
      'chip time: "9:99" has 99 seconds',
    ]);
  });
});
