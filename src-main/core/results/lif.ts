import { RaceDeskError } from '../errors.ts';
import { maxTimingRows, tooManyRows, type TimingTable, type TimingRow } from './timing-table.ts';

/*
 * FinishLynx .lif ("Lynx Input File" results): comma-separated, no header row. The first line
 * describes the heat (event number, round, heat, event name, wind, ...); every other line is
 * one competitor:
 *   Place, ID, Lane, Last Name, First Name, Affiliation, Time, License, Delta Time, ReacTime, ...
 * Non-finishers carry their status (DNF, DNS, DQ) where the place goes. FinishLynx times run
 * from the start signal, so Time is a gun time. Columns after ReacTime vary with the layout the
 * crew configured in FinishLynx and are not read.
 */
export const lifHeaders = ['Place', 'ID', 'Lane', 'Last Name', 'First Name', 'Affiliation', 'Time', 'License', 'Delta Time', 'ReacTime'];

export function parseLif(content: string): TimingTable {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headingIndex = lines.findIndex((line) => line.trim() !== '');
  if (headingIndex < 0) throw new RaceDeskError('invalid_input', 'The .lif file is empty.');
  const rows: TimingRow[] = [];
  for (let i = headingIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    if (rows.length === maxTimingRows) throw tooManyRows();
    const fields = splitLifLine(lines[i], i + 1);
    rows.push({ line: i + 1, cells: Object.fromEntries(lifHeaders.map((header, j) => [header, (fields[j] ?? '').trim()])) });
  }
  return { format: 'lif', headers: [...lifHeaders], rows };
}

/** LIF fields are plain, but names with commas come quoted. */
function splitLifLine(line: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') {
      if (quoted && line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) {
    throw new RaceDeskError(
      'invalid_input',
      `Line ${lineNumber} opens a quoted field (") that is never closed; nothing was imported. Close or remove the quote, or export the file again from FinishLynx.`,
    );
  }
  fields.push(field);
  return fields;
}
