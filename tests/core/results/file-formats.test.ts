import { describe, it, expect } from 'vitest';
import { parseDelimited } from '../../../src-main/core/results/delimited.ts';
import { parseLif } from '../../../src-main/core/results/lif.ts';
import { parseTimingFile } from '../../../src-main/core/results/timing-file.ts';

describe('parseDelimited', () => {
  it('reads a RaceResult-style CSV with quotes, BOM and CRLF', () => {
    const table = parseDelimited('\uFEFFBib,Name,Chip Time,Gun Time\r\n101,"Smith, Ann",25:12.4,25:20\r\n102,"Say ""Hi""",26:00,26:05\r\n\r\n');
    expect(table.format).toBe('csv');
    expect(table.headers).toEqual(['Bib', 'Name', 'Chip Time', 'Gun Time']);
    expect(table.rows).toEqual([
      { line: 2, cells: { Bib: '101', Name: 'Smith, Ann', 'Chip Time': '25:12.4', 'Gun Time': '25:20' } },
      { line: 3, cells: { Bib: '102', Name: 'Say "Hi"', 'Chip Time': '26:00', 'Gun Time': '26:05' } },
    ]);
  });

  it('reads tab-separated and semicolon exports', () => {
    expect(parseDelimited('Bib\tTime\n7\t1:02:03\n').rows[0].cells).toEqual({ Bib: '7', Time: '1:02:03' });
    expect(parseDelimited('Bib\tTime\n7\t1:02:03\n').format).toBe('tsv');
    expect(parseDelimited('Bib;Time\n7;25:12,4\n').rows[0].cells).toEqual({ Bib: '7', Time: '25:12,4' });
  });

  it('keeps line numbers right when a quoted field spans lines', () => {
    const table = parseDelimited('Bib,Note,Time\n1,"two\nlines",20:00\n2,,21:00\n');
    expect(table.rows.map((row) => row.line)).toEqual([2, 4]);
  });

  it('refuses an empty file and a header with a repeated column', () => {
    expect(() => parseDelimited('\n\n')).toThrow(/empty/);
    expect(() => parseDelimited('Bib,Time,Time\n')).toThrow(/"Time" twice/);
  });

  it('refuses a quote that is never closed instead of reading the rest of the file as one cell', () => {
    expect(() => parseDelimited('Bib,Name,Time\n1,Ann,20:00\n2,"Bo,21:00\n3,Cy,22:00\n4,Di,23:00\n')).toThrow(
      'Line 3 opens a quoted field (") that is never closed, so the rest of the file would be read as one cell; nothing was imported. Close or remove the quote, or export the file again.',
    );
  });
});

describe('parseLif', () => {
  it('skips the heat line and reads place, id, names and time', () => {
    const table = parseLif('1,1,1,5K Run,,,,\n1,101,,Smith,Ann,City RC,15:02.31\nDNF,102,,Jones,"Bo, Jr",,\n2,103,,Lee,Kim,,15:40.2\n');
    expect(table.format).toBe('lif');
    expect(table.rows.map((row) => [row.line, row.cells.Place, row.cells.ID, row.cells['First Name'], row.cells.Time])).toEqual([
      [2, '1', '101', 'Ann', '15:02.31'],
      [3, 'DNF', '102', 'Bo, Jr', ''],
      [4, '2', '103', 'Kim', '15:40.2'],
    ]);
  });

  it('refuses a line whose quote is never closed', () => {
    expect(() => parseLif('1,1,1,5K Run\n1,101,,Smith,"Ann,City RC,15:02.31\n2,103,,Lee,Kim,,15:40.2\n')).toThrow(/^Line 2 opens a quoted field \("\) that is never closed/);
  });

  it('is chosen by the .lif extension', () => {
    expect(parseTimingFile('HEAT01.LIF', '1,1,1,x\n1,5,,A,B,,10.0\n').format).toBe('lif');
    expect(parseTimingFile('results.txt', 'Bib\tTime\n5\t10.0\n').format).toBe('tsv');
  });
});
