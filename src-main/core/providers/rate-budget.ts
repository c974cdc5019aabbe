/** What the HTTP layer needs of a request allowance: wait, if need be, until a request may go out. */
export interface RequestBudget {
  take(signal?: AbortSignal): Promise<void>;
}

/** Burst size: a full hour's budget would let a cold start hammer the API. */
export const burstOf = (perHour: number) => Math.max(1, Math.min(perHour, Math.ceil(perHour / 60)));

export interface BucketState {
  tokens: number;
  /** When `tokens` was last computed, epoch ms. */
  last: number;
}

/**
 * The token-bucket rule, once for the in-process and the shared (SQLite) bucket: refill for the
 * time since `last`, take one token, and say how long to wait for it (0 = now).
 */
export function drawToken(state: BucketState, now: number, perHour: number, capacity: number): { state: BucketState; waitMs: number } {
  const perMs = perHour / 3_600_000;
  const tokens = Math.min(capacity, state.tokens + Math.max(0, now - state.last) * perMs) - 1;
  return { state: { tokens, last: Math.max(now, state.last) }, waitMs: tokens >= 0 ? 0 : Math.ceil(-tokens / perMs) };
}

/**
 * A token bucket in this process only, for tests and tools that talk to local simulators; syncs
 * use the bucket every process of the computer shares (shared-rate-budget.ts).
 */
export class RateBudget implements RequestBudget {
  private state: BucketState;

  constructor(
    readonly perHour: number,
    private readonly now: () => number = Date.now,
    private readonly capacity = burstOf(perHour),
  ) {
    this.state = { tokens: this.capacity, last: this.now() };
  }

  /** Milliseconds to wait before a request may go out; reserves the token. */
  reserve(): number {
    const { state, waitMs } = drawToken(this.state, this.now(), this.perHour, this.capacity);
    this.state = state;
    return waitMs;
  }

  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
