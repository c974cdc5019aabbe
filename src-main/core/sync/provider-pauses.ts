import type { Db } from '../store/database.ts';
import { iso } from './job-queue.ts';
import { exponentialDelayMs } from './backoff.ts';

/*
 * Providers found unreachable (network down at the venue, or the provider rate-limiting us after
 * the HTTP client's own retries). While a pause lasts no scheduler starts that provider's jobs;
 * when it ends the next job is the probe, and its success lifts the pause. The pause lives in the
 * database so every process sharing the file (app, station server, CLI) backs off together and
 * `racedesk queue` can say why nothing is moving.
 */

export interface PausePolicy {
  /** First pause; each further unreachable outcome doubles it. */
  baseMs: number;
  maxMs: number;
}

export const defaultPausePolicy: PausePolicy = { baseMs: 30_000, maxMs: 10 * 60_000 };

export interface ProviderPause {
  provider: string;
  pausedUntil: string;
  reason: string;
  failures: number;
}

/** Records one more unreachable outcome and returns until when the provider is left alone. */
export function pauseProvider(db: Db, provider: string, reason: string, now: number, policy: Partial<PausePolicy> = {}): number {
  const { baseMs, maxMs } = { ...defaultPausePolicy, ...policy };
  const run = db.transaction((): number => {
    const previous = db.prepare(`SELECT failures FROM sync_pauses WHERE provider_name = ?`).get(provider) as
      | { failures: number }
      | undefined;
    const failures = (previous?.failures ?? 0) + 1;
    const until = now + exponentialDelayMs(failures, { baseMs, maxMs });
    db.prepare(
      `INSERT INTO sync_pauses (provider_name, paused_until, reason, failures) VALUES (?, ?, ?, ?)
       ON CONFLICT (provider_name) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason,
         failures = excluded.failures`,
    ).run(provider, iso(until), reason, failures);
    return until;
  });
  return run.immediate();
}

export function resumeProvider(db: Db, provider: string): void {
  db.prepare(`DELETE FROM sync_pauses WHERE provider_name = ?`).run(provider);
}

/** Pauses still in force at `now`. */
export function activePauses(db: Db, now: number): ProviderPause[] {
  return (
    db
      .prepare(`SELECT provider_name, paused_until, reason, failures FROM sync_pauses WHERE paused_until > ? ORDER BY provider_name`)
      .all(iso(now)) as Array<{ provider_name: string; paused_until: string; reason: string; failures: number }>
  ).map((row) => ({ provider: row.provider_name, pausedUntil: row.paused_until, reason: row.reason, failures: row.failures }));
}
