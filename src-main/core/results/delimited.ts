import { RaceDeskError } from '../errors.ts';
import type { TimingTable, TimingRow } from './timing-table.ts';

/*
 * CSV and tab-separated exports (RaceResult, RunScore and similar). The first non-blank line is
 * the header. Fields may be quoted with "" escapes and may hold the delimiter or line breaks.
 * European exports use ';' (their decimal separator is ','), so the delimiter is sniffed from
 * the header line rather than assumed.
 */
export function parseDelimited(content: string): TimingTable {
  const text = content.replace(/^\uFEFF/, '');
  const delimiter = sniffDelimiter(text);
  const records = splitRecords(text, delimiter).filter((record) => record.fields.some((field) => field.trim() !== ''));
  if (records.length === 0) throw new RaceDeskError('invalid_input', 'The file is empty: there is no header line.');
  const [headerRecord, ...dataRecords] = records;
  const headers = headerRecord.fields.map((header) => header.trim());
  const seen = new Set<string>();
  for (const header of headers) {
    if (header !== '' && seen.has(header)) {
      throw new RaceDeskError('invalid_input', `The header line has the column "${header}" twice; rename one so the mapping can tell them apart.`);
    }
    seen.add(header);
  }
  const rows: TimingRow[] = dataRecords.map((record) => ({
    line: record.line,
    cells: Object.fromEntries(headers.map((header, i) => [header, (record.fields[i] ?? '').trim()])),
  }));
  return { format: delimiter === '\t' ? 'tsv' : 'csv', headers, rows };
}

function sniffDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const count = (char: string) => firstLine.split(char).length - 1;
  if (count('\t') > 0) return '\t';
  return count(';') > count(',') ? ';' : ',';
}

interface RawRecord {
  line: number;
  fields: string[];
}

function splitRecords(text: string, delimiter: string): RawRecord[] {
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += char;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}
