import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/*
 * Reads a query's rows with COPY (...) TO STDOUT, PostgreSQL's own bulk output, in its text
 * format: the hub sends rows as fast as psql reads them, with no per-row protocol message or
 * per-value type parsing, and the rows arrive as arrays of strings (NULL as null), which is what
 * the laptop's STRICT tables take. The pull reads its rows so: batches of SELECT ... LIMIT, one
 * round trip and one index scan each, took three times the wall time (docs/performance-pull.md).
 */
export type CopiedRow = Array<string | null>;

const newline = 0x0a;

/**
 * The rows of `COPY (query) TO STDOUT`, in batches of up to `size` rows. The stream is read only
 * as the caller asks for the next batch, so a slow writer holds the hub back instead of piling
 * rows up in memory. Stopping early (break, throw) leaves the connection in the middle of a COPY:
 * end the client then.
 */
export async function* copiedBatches(client: pg.Client, query: string, size: number): AsyncGenerator<CopiedRow[]> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  let batch: CopiedRow[] = [];
  // A chunk holds whole rows and a part of the next: a raw newline only ever ends a row (text
  // format writes a newline inside a value as \n), and never occurs inside a UTF-8 character.
  let partial: Buffer | null = null;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const data: Buffer = partial ? Buffer.concat([partial, chunk]) : chunk;
    const end = data.lastIndexOf(newline);
    if (end < 0) {
      partial = data;
      continue;
    }
    partial = end + 1 < data.length ? data.subarray(end + 1) : null;
    for (const line of data.toString('utf8', 0, end).split('\n')) {
      batch.push(parseCopyLine(line));
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (partial) throw new Error('The hub ended a COPY in the middle of a row.');
  if (batch.length > 0) yield batch;
}

/** One line of COPY's text format: tab-separated values, \N for NULL, backslash escapes. */
export function parseCopyLine(line: string): CopiedRow {
  const values: CopiedRow = line.split('\t');
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === '\\N') values[i] = null;
    else if (value.includes('\\')) values[i] = value.replace(escape, unescape);
  }
  return values;
}

/** The escapes COPY TO writes (it writes every other character as itself; \\ is a backslash). */
const escape = /\\(.)/gs;
const escaped: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const unescape = (_: string, char: string) => escaped[char] ?? char;
