/*
 * CSV as spreadsheets read it (RFC 4180): comma-separated, CRLF line ends, and a field quoted
 * (with inner quotes doubled) when it holds a comma, a quote, a line break or edge spaces.
 * A UTF-8 byte-order mark comes first so Excel shows accented names correctly.
 */
export function toCsv(columns: readonly string[], rows: Iterable<Record<string, unknown>>): { csv: string; rowCount: number } {
  const lines = [columns.map(csvField).join(',')];
  let rowCount = 0;
  for (const row of rows) {
    lines.push(columns.map((column) => csvField(row[column])).join(','));
    rowCount++;
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rowCount };
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
