import { RaceDeskError } from '../errors.ts';

/** What every timing-file parser produces: named columns and the file's rows, with line numbers for reports. */
export interface TimingTable {
  format: TimingFileFormat;
  headers: string[];
  rows: TimingRow[];
}

export interface TimingRow {
  /** 1-based line number in the file, so a report points the crew at the right line. */
  line: number;
  cells: Record<string, string>;
}

export const timingFileFormats = ['lif', 'csv', 'tsv'] as const;
export type TimingFileFormat = (typeof timingFileFormats)[number];

/*
 * The most result rows one import takes. The largest races finish a few tens of thousands; a
 * file past this is the wrong file or needs splitting (by race), and reading on would only hold
 * the station's memory for a file that cannot be right.
 */
export const maxTimingRows = 100_000;

export function tooManyRows(): RaceDeskError {
  return new RaceDeskError(
    'invalid_input',
    `The file has more than ${maxTimingRows.toLocaleString('en-US')} result rows, the most one import takes; nothing was imported. Check that it is the right file, or split it by race.`,
  );
}
