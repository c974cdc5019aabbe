export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** Milliseconds taken by `work`, with a high-resolution clock. */
export function timeMs(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** One row of the bench table: a figure beside its baseline measured in the same run. */
export interface Figure {
  figure: string;
  data: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}
