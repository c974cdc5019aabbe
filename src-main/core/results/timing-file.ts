import { parseDelimited } from './delimited.ts';
import { parseLif } from './lif.ts';
import type { TimingTable } from './timing-table.ts';

/** Reads a timing export by its file name: .lif is FinishLynx; anything else is CSV or tab-separated. */
export function parseTimingFile(fileName: string, content: string): TimingTable {
  return /\.lif$/i.test(fileName) ? parseLif(content) : parseDelimited(content);
}
