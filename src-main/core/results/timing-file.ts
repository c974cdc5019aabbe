import { parseDelimited } from './delimited.ts';
import { parseLif } from './lif.ts';
import type { TimingTable } from './timing-table.ts';

/** Reads a timing export by its file name: .lif is FinishLynx; anything else is CSV or tab-separated. */
export function parseTimingFile(fileName: string, content: string): TimingTable {
  return /\.lif$/i.test(fileName) ? parseLif(content) : parseDelimited(content);
}

/* FinishLynx and RunScore on Windows often write Windows-1252, not UTF-8: accents must survive either way. */
export function decodeTimingFile(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
