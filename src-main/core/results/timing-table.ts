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
