import { RaceDeskError } from '../errors.ts';
import { maxTimingRows, tooManyRows, type TimingTable, type TimingRow } from './timing-table.ts';

/*
 * CSV and tab-separated exports (RaceResult, RunScore and similar). The first non-blank line is
 * the header. Fields may be quoted with "" escapes and may hold the delimiter or line breaks.
 * European exports use ';' (their decimal separator is ','), so the delimiter is sniffed from
 * the header line rather than assumed.
 */
export function parseDelimited(content: string): TimingTable {
  const text = content.replace(/^\uFEFF/, '');
  const delimiter = sniffDelimiter(text);
  const records = splitRecords(text, delimiter);
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

/** The file's non-blank records: the header and at most maxTimingRows rows. */
function splitRecords(text: string, delimiter: string): RawRecord[] {
  const records: RawRecord[] = [];
  const keep = (record: RawRecord) => {
    if (!record.fields.some((field) => field.trim() !== '')) return;
    if (records.length > maxTimingRows) throw tooManyRows();
    records.push(record);
  };
  let quoteLine = 0;
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
      quoteLine = line;
      field = '';
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      keep({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else {
      // The run of plain characters at once: one string per character would be garbage for every cell.
      let end = i + 1;
      while (end < text.length && !isSpecial(text[end], delimiter)) end++;
      field += text.slice(i, end);
      i = end - 1;
    }
  }
  if (quoted) {
    // Everything after a stray quote would be one field: the rows below it would vanish silently.
    throw new RaceDeskError(
      'invalid_input',
      `Line ${quoteLine} opens a quoted field (") that is never closed, so the rest of the file would be read as one cell; nothing was imported. Close or remove the quote, or export the file again.`,
    );
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    keep({ line: recordLine, fields });
  }
  return records;
}

const isSpecial = (char: string, delimiter: string) => char === delimiter || char === '"' || char === '\n' || char === '\r';
