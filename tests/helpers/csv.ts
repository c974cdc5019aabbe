import { expect } from 'vitest';

/** A CSV export's text after its byte-order mark, failing unless it starts with exactly one (a second shows as junk in Excel's first header). */
export function afterOneBom(csv: string): string {
  expect(csv.match(/^\uFEFF*/)?.[0].length, 'byte-order marks at the start').toBe(1);
  return csv.slice(1);
}
