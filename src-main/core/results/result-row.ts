import type { ColumnMapping } from './mapping.ts';
import { parseStatusCell, statusFromWord, type ResultStatus } from './status.ts';
import { parseRaceTime } from './time.ts';
import type { TimingRow } from './timing-table.ts';

/** What one line of a timing export says, before it is matched to a participant. */
export interface ResultLine {
  line: number;
  bib: string;
  chipTimeMs: number | null;
  gunTimeMs: number | null;
  splits: Record<string, number>;
  /** Only when the file states one; otherwise the status follows from the times. */
  status: ResultStatus | null;
  problems: string[];
}

export function readResultLine(row: TimingRow, mapping: ColumnMapping): ResultLine {
  const problems: string[] = [];
  const cell = (column: string | undefined) => (column === undefined ? '' : (row.cells[column] ?? ''));
  let status: ResultStatus | null = null;
  if (mapping.status) {
    const parsed = parseStatusCell(cell(mapping.status));
    if (parsed.ok) status = parsed.status;
    else problems.push(parsed.reason);
  }
  const time = (label: string, column: string | undefined): number | null => {
    const text = cell(column);
    // RunScore and others write DNF/DQ in the time column when there is no status column.
    const word = statusFromWord(text);
    if (word && word !== 'FIN') {
      status ??= word;
      return null;
    }
    const parsed = parseRaceTime(text);
    if (parsed.ok) return parsed.ms;
    problems.push(`${label}: ${parsed.reason}`);
    return null;
  };
  const chipTimeMs = time('chip time', mapping.chipTime);
  const gunTimeMs = time('gun time', mapping.gunTime);
  const splits: Record<string, number> = {};
  for (const [name, column] of Object.entries(mapping.splits)) {
    const ms = time(`split ${name}`, column);
    if (ms !== null) splits[name] = ms;
  }
  const bib = cell(mapping.bib).trim();
  if (bib === '') problems.unshift('no bib number');
  return { line: row.line, bib, chipTimeMs, gunTimeMs, splits, status, problems };
}

/** Bibs compared as the crew reads them: timing software pads "0042" where registration has "42". */
export function bibKey(bib: string): string {
  const trimmed = bib.trim();
  return /^\d+$/.test(trimmed) ? String(Number.parseInt(trimmed, 10)) : trimmed.toUpperCase();
}
