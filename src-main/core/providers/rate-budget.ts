/**
 * A token bucket per provider, sized from providers.rate_limit_per_hour. Every request of every
 * job in this process draws from the same bucket, so parallel syncs of one provider together
 * stay inside the provider's allowance.
 */
export class RateBudget {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(
    readonly perHour: number,
    private readonly now: () => number = Date.now,
    /** Burst size: a full hour's budget would let a cold start hammer the API. */
    private readonly capacity = Math.max(1, Math.min(perHour, Math.ceil(perHour / 60))),
  ) {
    this.perMs = perHour / 3_600_000;
    this.tokens = this.capacity;
    this.last = this.now();
  }

  /** Milliseconds to wait before a request may go out; reserves the token. */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs);
  }

  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}

const budgets = new Map<string, RateBudget>();

export function budgetFor(provider: string, perHour: number): RateBudget {
  let budget = budgets.get(provider);
  if (!budget || budget.perHour !== perHour) {
    budget = new RateBudget(perHour);
    budgets.set(provider, budget);
  }
  return budget;
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
