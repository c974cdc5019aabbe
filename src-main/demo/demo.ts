import type { Core } from '../core/core.ts';
import { dispatch } from '../core/api/dispatch.ts';
import type { Handlers, HandlerName } from '../core/api/handlers.ts';
import type { InputOf, OutputOf } from '../core/api/contract.ts';
import { RaceDeskError } from '../core/errors.ts';
import { getProvider } from '../core/providers/registry.ts';
import { setRequestsPerHour } from '../core/providers/request-allowance.ts';
import { simulatedProviders, startProviderSimulator, type StartedSimulator } from '../simulators/registry.ts';
import type { ProviderName } from '../core/providers/types.ts';
import { runSync, type SyncSummary } from '../core/sync/run-sync.ts';
import { startDemoHub, type DemoHub } from './demo-hub.ts';

/*
 * Demo mode: every provider that has a simulator (simulators/registry.ts, the one list) serves a
 * demo-sized race on this computer, an account per provider points at it, everything is synced,
 * and each event gets a walk-up bib range, so every screen has data without a single real
 * account. A real local hub (demo-hub.ts) receives what the station pushes. The caller gives a
 * core over the demo's own data folder and keychain service.
 */
export const walkUpRangeSize = 200;

export interface DemoAccount {
  provider: ProviderName;
  label: string;
}

export interface DemoEnvironment {
  simulators: StartedSimulator[];
  accounts: DemoAccount[];
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Folder of the demo hub's PostgreSQL (kept between runs, like the demo's local store). */
  hubDir: string;
  seed?: number;
  /** 'small' for tests: a dozen or so runners per event instead of hundreds. */
  size?: 'small' | 'demo';
}

export interface Demo extends DemoEnvironment {
  hub: DemoHub;
}

/**
 * The hub first (it decides the timing partner this laptop pushes as), then the simulators and
 * their accounts; nothing is synced yet. close() stops the simulators and PostgreSQL: call it
 * after the station and the auto-push have stopped.
 */
export async function startDemo(core: Core, options: DemoOptions): Promise<Demo> {
  const hub = await startDemoHub(core, { dir: options.hubDir });
  let providers: DemoEnvironment;
  try {
    providers = await startDemoProviders(core, options);
  } catch (error) {
    await hub.stop();
    throw error;
  }
  return {
    ...providers,
    hub,
    async close() {
      await providers.close();
      await hub.stop();
    },
  };
}

/** Starts every simulator and adds an account for each; nothing is synced yet. */
export async function startDemoProviders(core: Core, options: { seed?: number; size?: 'small' | 'demo' } = {}): Promise<DemoEnvironment> {
  const simulators: StartedSimulator[] = [];
  const close = async () => {
    await Promise.all(simulators.splice(0).map((sim) => sim.close()));
  };
  try {
    const accounts: DemoAccount[] = [];
    for (const provider of simulatedProviders()) {
      // The simulators run on this computer: the real providers' request budgets (about one
      // request a second) would only make the demo slow. This is the demo's own database.
      setRequestsPerHour(core.db, provider, 3_600_000);
      const sim = await startProviderSimulator(provider, { size: options.size ?? 'demo', seed: options.seed ?? 2026 });
      simulators.push(sim);
      const label = `Demo ${getProvider(provider).displayName}`;
      // Simulators get a new port each run: the account is added again with the new address.
      if (core.settings.read().accounts.some((a) => a.provider === provider && a.label === label)) {
        await call(core, 'accounts.remove', { provider, label });
      }
      await call(core, 'accounts.add', { provider, label, baseUrl: sim.url, secret: sim.credential });
      accounts.push({ provider, label });
    }
    return { simulators, accounts, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface DemoSyncOutcome extends DemoAccount {
  status: SyncSummary['status'] | 'error';
  records: number;
  message: string | null;
}

/**
 * Syncs every demo account side by side. One slow or broken simulator must not hold the demo
 * hostage: each sync is cancelled (between pages, keeping what it stored) after the time limit
 * or when the demo stops. Then every event gets a walk-up range.
 */
export async function syncDemoAccounts(
  core: Core,
  accounts: readonly DemoAccount[],
  options: { timeLimitMs?: number; signal?: AbortSignal } = {},
): Promise<DemoSyncOutcome[]> {
  const timeLimit = AbortSignal.timeout(options.timeLimitMs ?? 60_000);
  const signal = options.signal ? AbortSignal.any([timeLimit, options.signal]) : timeLimit;
  const outcomes = await Promise.all(
    accounts.map(async (account): Promise<DemoSyncOutcome> => {
      try {
        const summary = await runSync(core, { provider: account.provider, account: account.label, signal });
        const failure = summary.outcomes.find((o) => o.error)?.error ?? null;
        return { ...account, status: summary.status, records: summary.outcomes.reduce((sum, o) => sum + o.records, 0), message: failure };
      } catch (error) {
        return { ...account, status: 'error', records: 0, message: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  if (!options.signal?.aborted) {
    giveEveryEventAWalkUpRange(core);
    core.events.emit('data.changed', { area: 'participants' });
  }
  return outcomes;
}

/** A range just above each event's highest numeric bib, so walk-ups work out of the box. */
function giveEveryEventAWalkUpRange(core: Core): void {
  const events = core.db
    .prepare(
      `SELECT e.source_provider AS provider, e.event_id,
              coalesce(max(CASE WHEN ps.bib GLOB '[0-9]*' AND ps.bib NOT GLOB '*[^0-9]*' THEN CAST(ps.bib AS INTEGER) END), 0) AS max_bib
       FROM unified_events e
       LEFT JOIN participant_search ps ON ps.provider = e.source_provider AND ps.event_id = e.event_id
       WHERE NOT EXISTS (SELECT 1 FROM walk_up_bib_ranges r WHERE r.event_provider = e.source_provider AND r.event_id = e.event_id)
       GROUP BY e.source_provider, e.event_id`,
    )
    .all() as Array<{ provider: string; event_id: string; max_bib: number }>;
  const insert = core.db.prepare('INSERT INTO walk_up_bib_ranges (event_provider, event_id, first_bib, last_bib) VALUES (?, ?, ?, ?)');
  core.db.transaction(() => {
    for (const event of events) {
      const first = (Math.floor(event.max_bib / 1000) + 1) * 1000;
      insert.run(event.provider, event.event_id, first, first + walkUpRangeSize - 1);
    }
  })();
}

async function call<K extends HandlerName>(core: Core, name: K, input: InputOf<Handlers[K]>): Promise<OutputOf<Handlers[K]>> {
  const result = await dispatch(core, name, input);
  if (!result.ok) throw new RaceDeskError(result.error.code, `Demo setup (${name}): ${result.error.message}`);
  return result.value as OutputOf<Handlers[K]>;
}
