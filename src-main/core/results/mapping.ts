import { z } from 'zod';
import { RaceDeskError } from '../errors.ts';
import type { TimingTable } from './timing-table.ts';

/** Which column of a timing export holds what. Column names are the file's own headers. */
export const columnMappingSchema = z.object({
  bib: z.string().min(1),
  chipTime: z.string().min(1).optional(),
  gunTime: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  /** Split name as results show it -> column holding that split's time. */
  splits: z.record(z.string().min(1), z.string().min(1)).default({}),
});
export type ColumnMapping = z.output<typeof columnMappingSchema>;

const fold = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/* Header spellings seen in RaceResult, RunScore and generic exports, most specific first. */
const bibHeaders = ['bib', 'bibno', 'bibnumber', 'bibnum', 'racenumber', 'racenum', 'startnumber', 'startno', 'number', 'no', 'id'];
const chipHeaders = ['chiptime', 'chip', 'nettime', 'net', 'time', 'finishtime', 'finish', 'elapsedtime'];
const gunHeaders = ['guntime', 'gun', 'clocktime', 'clock'];
const statusHeaders = ['status', 'resultstatus', 'state'];
/* "Split 1", "Lap 2", "5K", "10 km", "Half", "5K Split", "Mile 3" — but not "5K Pace" or "5K Place". */
const splitHeader = /^(split|lap|mile|half|halfway|\d+(\.\d+)?(k|km|mi|mile|miles))/;
const notASplit = /pace|place|rank|pos/;

function firstHeader(headers: string[], wanted: string[], taken: Set<string>): string | undefined {
  for (const spelling of wanted) {
    const found = headers.find((header) => !taken.has(header) && fold(header) === spelling);
    if (found) return found;
  }
  return undefined;
}

/** Recognises the obvious headers (Bib, Chip Time, Gun Time, Time, Status, splits); undefined without a bib column. */
export function detectMapping(headers: string[]): ColumnMapping | undefined {
  const taken = new Set<string>();
  const take = (wanted: string[]) => {
    const header = firstHeader(headers, wanted, taken);
    if (header) taken.add(header);
    return header;
  };
  const bib = take(bibHeaders);
  if (!bib) return undefined;
  const gunTime = take(gunHeaders);
  const chipTime = take(chipHeaders);
  const status = take(statusHeaders);
  const splits: Record<string, string> = {};
  for (const header of headers) {
    if (!taken.has(header) && splitHeader.test(fold(header)) && !notASplit.test(fold(header))) splits[header.replace(/\s*split\s*$/i, '') || header] = header;
  }
  return { bib, chipTime, gunTime, status, splits };
}

/** FinishLynx writes a fixed layout (see lif.ts): the ID is the bib, Time runs from the gun. */
export const lifMapping: ColumnMapping = { bib: 'ID', gunTime: 'Time', status: 'Place', splits: {} };

export function checkMappingAgainst(mapping: ColumnMapping, table: TimingTable): void {
  const used = [mapping.bib, mapping.chipTime, mapping.gunTime, mapping.status, ...Object.values(mapping.splits)];
  const missing = used.filter((column): column is string => column !== undefined && !table.headers.includes(column));
  if (missing.length > 0) {
    throw new RaceDeskError(
      'invalid_input',
      `The mapping names column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} that the file does not have ` +
        `(its columns: ${table.headers.map((h) => `"${h}"`).join(', ')}).`,
    );
  }
  if (!mapping.chipTime && !mapping.gunTime && !mapping.status) {
    throw new RaceDeskError('invalid_input', 'The mapping needs a chip time, gun time or status column; with only bibs there is no result to import.');
  }
}

/** The header line identifies an export layout: a saved mapping is reused for files with the same headers. */
export function headerSignature(headers: string[]): string {
  return headers.map(fold).join('|');
}
