/*
 * CSV as spreadsheets read it (RFC 4180), written once for every export (Browse tables, placed
 * results): comma-separated, CRLF line ends, a field quoted (inner quotes doubled) when it holds
 * a comma, a quote, a line break or edge spaces. The document starts with one UTF-8 byte-order
 * mark so Excel shows accented names correctly; the download adds none of its own.
 */
const bom = '\uFEFF';

export function csvDocument(lines: Iterable<readonly unknown[]>): string {
  const out: string[] = [];
  for (const fields of lines) out.push(fields.map(csvField).join(','));
  return `${bom}${out.join('\r\n')}\r\n`;
}

/** A table's rows under readable headers ("First name", not first_name), in the order of `columns`. */
export function toCsv(columns: readonly string[], rows: Iterable<Record<string, unknown>>): { csv: string; rowCount: number } {
  let rowCount = 0;
  function* lines(): Iterable<unknown[]> {
    yield columns.map(columnHeader);
    for (const row of rows) {
      rowCount++;
      yield columns.map((column) => row[column]);
    }
  }
  const csv = csvDocument(lines());
  return { csv, rowCount };
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  if (runsAsFormula(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/*
 * OWASP's rule against CSV injection: a field a spreadsheet would evaluate (starting with = + - @,
 * a tab or a carriage return) gets a leading ' so it shows as text; a walk-up's name typed at the
 * desk as =HYPERLINK(...) stays a name. A plain signed number or time (-5, +3, -0:12.4) is left as
 * it is: it holds no function, reference or DDE call to run, and the crew reads it as the number it is.
 */
function runsAsFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]\d+(?:[.:]\d+)*$/.test(text);
}

const headers: Record<string, string> = {
  source_provider: 'Provider',
  event_id: 'Event ID',
  sub_event_id: 'Sub-event ID',
  participant_id: 'Participant ID',
  first_name: 'First name',
  last_name: 'Last name',
  email: 'Email',
  phone: 'Phone',
  gender: 'Gender',
  bib_number: 'Bib',
  registered_bib: 'Bib from registration',
  city: 'City',
  state: 'State',
  age: 'Age',
  date_of_birth: 'Date of birth',
  team_name: 'Team',
  registration_date: 'Registered on',
  fetched_date: 'Synced at',
  credentials_used: 'Account',
  event_name: 'Event',
  event_title: 'Whole event',
  event_date: 'Event date',
  race_id: 'Race ID',
  race_name: 'Race / group',
  registered: 'Registered',
  is_walk_up: 'Walk-up',
  checked_in: 'Checked in',
  checked_in_at: 'Checked in at',
  checked_in_by: 'Checked in by',
  walk_ups: 'Walk-ups',
  overall_place: 'Place',
  results_time: 'Chip time',
  results_gun_time: 'Gun time',
  status: 'Status',
};

/** The header a person reads for a column; a column without one is spelled out from its name. */
export function columnHeader(column: string): string {
  const known = headers[column];
  if (known) return known;
  const words = column.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
