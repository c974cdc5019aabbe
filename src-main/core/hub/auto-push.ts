import type { Core } from '../core.ts';
import { RaceDeskError } from '../errors.ts';
import { exponentialDelayMs } from '../sync/backoff.ts';
import { pendingChangeCount } from './outbox.ts';
import { configuredHub } from './hub-settings.ts';
import { pushPendingChanges, type PushSummary } from './push.ts';
import { pullChanges, type PullSummary } from './pull.ts';

/*
 * Pushing and pulling from a core. One at a time per core: the auto-push, a "Push now" and a
 * "Pull now" click share the queue (two at once would be correct, since batches apply once and
 * pulls resume from their cursors, but wasteful).
 */
const running = new WeakMap<Core, Promise<unknown>>();

function inHubQueue<T>(core: Core, work: () => Promise<T>): Promise<T> {
  const current = running.get(core);
  const next = (current ?? Promise.resolve()).catch(() => undefined).then(work);
  running.set(core, next);
  void next.finally(() => {
    if (running.get(core) === next) running.delete(core);
  }).catch(() => {});
  return next;
}

export function pushToHub(core: Core): Promise<PushSummary> {
  return inHubQueue(core, async () => {
    const { connection, partnerId } = await configuredHub(core);
    return pushPendingChanges(core.db, { connection, partnerId });
  });
}

/** Pulls what the hub has and this laptop lacks; progress goes out as 'hub.pullProgress' events. */
export function pullFromHub(core: Core): Promise<PullSummary> {
  return inHubQueue(core, async () => {
    const { connection, partnerId } = await configuredHub(core);
    const summary = await pullChanges(core.db, { connection, partnerId, onBatch: (progress) => core.events.emit('hub.pullProgress', progress) });
    if (summary.rows > 0) core.events.emit('data.changed', { area: 'participants' });
    return summary;
  });
}

export interface AutoPushOptions {
  /** Between checks while there is nothing to push, or after a successful push. */
  idleMs?: number;
  /** First retry after a failure; doubles per failure (with jitter) up to maxBackoffMs. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  push?: (core: Core) => Promise<PushSummary>;
  pull?: (core: Core) => Promise<PullSummary>;
}

export interface AutoPushState {
  running: boolean;
  consecutiveFailures: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

/**
 * Pushes and pulls by itself whenever the hub is reachable: checks the outbox every idleMs and
 * pushes what waits, then (with a hub set up) pulls what other laptops pushed; after a failure
 * (offline, hub down) it retries with exponential backoff, so a laptop back on the network
 * delivers its queue and catches up without anyone pressing a button. Started by the Electron
 * shell and the station server (startHubAutoPush); core only, no Electron.
 */
export class HubAutoPush {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private failures = 0;
  private lastError: string | null = null;
  private nextAttemptAt: number | null = null;
  private readonly idleMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly push: (core: Core) => Promise<PushSummary>;
  private readonly pull: (core: Core) => Promise<PullSummary>;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly core: Core,
    options: AutoPushOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 30_000;
    this.firstBackoffMs = options.firstBackoffMs ?? 2_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
    this.push = options.push ?? pushToHub;
    this.pull = options.pull ?? pullFromHub;
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    // New local data is worth pushing soon, unless we are backing off from a failure.
    this.stopListening = this.core.events.on('data.changed', () => {
      if (this.failures === 0) this.schedule(Math.min(this.firstBackoffMs, this.idleMs));
    });
    this.schedule(0);
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.stopListening?.();
    this.stopListening = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAttemptAt = null;
  }

  state(): AutoPushState {
    return {
      running: !this.stopped,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      nextAttemptAt: this.nextAttemptAt === null ? null : new Date(this.nextAttemptAt).toISOString(),
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    // Keep an earlier attempt already planned.
    if (this.timer && this.nextAttemptAt !== null && this.nextAttemptAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAttemptAt = at;
    this.timer = setTimeout(() => void this.attempt(), delayMs);
    this.timer.unref?.();
  }

  private async attempt(): Promise<void> {
    this.timer = null;
    this.nextAttemptAt = null;
    if (this.stopped) return;
    try {
      if (this.core.db.open && pendingChangeCount(this.core.db) > 0) await this.push(this.core);
      // A laptop with no hub set up has nothing to pull from; that is no failure.
      if (this.core.db.open && this.core.settings.read().hub?.url) await this.pull(this.core);
      this.failures = 0;
      this.lastError = null;
      this.schedule(this.idleMs);
    } catch (error) {
      this.failures += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
      const unreachable = error instanceof RaceDeskError && error.code === 'network_error';
      // Offline: try again soon, then less and less often. Any other failure (refused login, hub
      // not migrated, no hub set up) needs a person, so retry only at the slowest pace.
      const base = unreachable ? exponentialDelayMs(this.failures, { baseMs: this.firstBackoffMs, maxMs: this.maxBackoffMs }) : this.maxBackoffMs;
      this.schedule(Math.round(base * (0.75 + Math.random() * 0.5)));
    }
  }
}

const autoPushes = new WeakMap<Core, HubAutoPush>();

/** Starts the auto-push for a core (idempotent); the shell calls stopHubAutoPush before core.close(). */
export function startHubAutoPush(core: Core, options?: AutoPushOptions): HubAutoPush {
  let autoPush = autoPushes.get(core);
  if (!autoPush) autoPushes.set(core, (autoPush = new HubAutoPush(core, options)));
  return autoPush.start();
}

export function stopHubAutoPush(core: Core): void {
  autoPushes.get(core)?.stop();
  autoPushes.delete(core);
}

export function hubAutoPushState(core: Core): AutoPushState | null {
  return autoPushes.get(core)?.state() ?? null;
}
