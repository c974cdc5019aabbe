export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 30_000, maxMs: 30 * 60_000 };

/** The n-th retry's (1-based) un-jittered wait: base * 2^(n-1), capped at max. */
export function exponentialDelayMs(retry: number, policy: Partial<BackoffPolicy> = {}): number {
  const { baseMs, maxMs } = { ...defaultBackoff, ...policy };
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
}

/**
 * Exponential backoff with jitter for the n-th retry (1-based): base * 2^(n-1), capped, then a
 * random point in its upper half, so laptops that lost the same network at the same moment do not
 * all come back at the same second.
 */
export function retryDelayMs(retry: number, policy: Partial<BackoffPolicy> = {}, random: () => number = Math.random): number {
  const exponential = exponentialDelayMs(retry, policy);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
