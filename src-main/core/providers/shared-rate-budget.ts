import type { Db } from '../store/database.ts';
import { preparedPerDb } from '../store/statements.ts';
import { burstOf, drawToken, sleep, type RequestBudget } from './rate-budget.ts';

const statements = preparedPerDb((db) => ({
  read: db.prepare<[string], { tokens: number; updated_ms: number }>('SELECT tokens, updated_ms FROM request_buckets WHERE provider_name = ?'),
  write: db.prepare<{ provider: string; tokens: number; updatedMs: number }>(
    `INSERT INTO request_buckets (provider_name, tokens, updated_ms) VALUES (@provider, @tokens, @updatedMs)
     ON CONFLICT (provider_name) DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms`,
  ),
}));

/**
 * A provider's token bucket kept in SQLite (request_buckets), so the desktop app, a station and a
 * CLI sync on one computer together stay inside the provider's allowance, as the README promises.
 * Each token is taken in a BEGIN IMMEDIATE transaction (the write lock, as job-queue.ts takes its
 * lease): two processes can never both read the same token count and both spend it.
 */
export class SharedRateBudget implements RequestBudget {
  constructor(
    private readonly db: Db,
    readonly provider: string,
    readonly perHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before a request may go out; reserves the token. */
  reserve(): number {
    const capacity = burstOf(this.perHour);
    const take = this.db.transaction(() => {
      const now = this.now();
      const row = statements(this.db).read.get(this.provider);
      const { state, waitMs } = drawToken(row ? { tokens: row.tokens, last: row.updated_ms } : { tokens: capacity, last: now }, now, this.perHour, capacity);
      statements(this.db).write.run({ provider: this.provider, tokens: state.tokens, updatedMs: state.last });
      return waitMs;
    });
    return take.immediate();
  }

  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}
