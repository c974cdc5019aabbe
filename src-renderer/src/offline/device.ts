import { ApiError, type ApiResult, type Client, type Input, type Output } from '../api/client.ts';
import { retryDelayMs } from '../../../src-main/core/sync/backoff.ts';
import { fullName, shortTime } from '../pages/pickup/format.ts';
import { indexRunner, searchCopy, type CopyRow, type CopyRunner } from './copy-lookup.ts';
import type { DeviceStore, QueuedInput, QueuedOp, StoredCopy } from './device-store.ts';

/*
 * A joined device that keeps working when the Wi-Fi drops. It keeps a copy of its scope's
 * runners (pickup.deviceCopy, refreshed when the station is reachable and after changes) and,
 * while the station cannot be reached, answers lookups, runner cards and counters from it.
 * Check-ins and bib changes carry an op id of their own (core pickup/device-operations.ts); one
 * the station did not answer is queued in the browser and sent again, in the order they were
 * made, once the station answers again: the op id makes the station apply each exactly once, and
 * its first answer (a conflict too) becomes a report in plain words.
 */
export type StationLink = 'online' | 'unreachable';

export interface ReplayReport {
  seq: number;
  tone: 'done' | 'conflict' | 'refused';
  text: string;
}

export interface DeviceState {
  link: StationLink;
  queued: number;
  /** The copy's size and age; null until the first copy arrived. */
  copy: { runners: number; complete: boolean; takenAt: string } | null;
  /** What the replays did with queued changes, newest first. */
  reports: ReplayReport[];
}

export type WriteOutcome<T> = { queued: false; value: T } | { queued: true };

/** The calls a device answers from its copy when the station does not answer. */
export const answeredFromCopy = ['lookup.search', 'pickup.participant', 'pickup.counters'] as const;
export type CopyAnswered = (typeof answeredFromCopy)[number];

export interface DeviceOptions {
  /** The station, unwrapped. */
  client: Client;
  store: DeviceStore;
  /** The name this device checks people in under (the audit trail's station name). */
  deviceName(): string | null;
  newOpId?: () => string;
}

/** Probing an unreachable station: soon at first, then at most every 15 s. */
const reconnectBackoff = { baseMs: 1_000, maxMs: 15_000 };
/** A call unanswered this long counts as unreachable (a dropped Wi-Fi leaves requests hanging, not failing). */
const answerTimeoutMs = 8_000;
/** Other stations' walk-ups, bib changes and syncs re-read the copy at most this often. */
const refreshGapMs = 30_000;
const keptReports = 20;

const runnerKey = (provider: string, participantId: string) => `${provider}\u0000${participantId}`;
const unreachableResult = { ok: false, error: { code: 'network_error', message: 'The station did not answer in time.' } } as const;

export class Device {
  private state: DeviceState = { link: 'online', queued: 0, copy: null, reports: [] };
  private readonly listeners = new Set<(state: DeviceState) => void>();
  private runners = new Map<string, CopyRunner>();
  private list: CopyRunner[] | null = null;
  private queue: QueuedOp[] = [];
  private scope: Input<'pickup.deviceCopy'>['scope'] = undefined;
  private scopeKey: string | null = null;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private lastRefreshAt = 0;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private replaying: Promise<void> | null = null;
  private streamWasOpen = false;
  /** pickup.changed check-ins and undos already patched into the copy; each is followed by a data.changed to skip. */
  private patchedAnnouncements = 0;
  private readonly client: Client;
  private readonly store: DeviceStore;
  private readonly deviceName: () => string | null;
  private readonly newOpId: () => string;
  private readonly stops: Array<() => void> = [];

  constructor(options: DeviceOptions) {
    this.client = options.client;
    this.store = options.store;
    this.deviceName = options.deviceName;
    this.newOpId = options.newOpId ?? (() => crypto.randomUUID());
  }

  /** Loads what the browser kept, listens to the station, and sends what an earlier visit queued. */
  async start(): Promise<void> {
    const [copy, queue] = await Promise.all([this.store.readCopy(), this.store.queued()]);
    this.queue = queue;
    if (copy) this.load(copy);
    this.update({ queued: queue.length });
    this.stops.push(
      this.client.on('pickup.changed', (change) => {
        if (change.kind === 'check_in' || change.kind === 'undo_check_in') {
          this.patch(change.provider, change.participantId, (row) =>
            change.kind === 'check_in'
              ? { ...row, checked_in: true, checked_in_by: change.stationName, checked_in_at: change.at }
              : { ...row, checked_in: false, checked_in_by: null, checked_in_at: null },
          );
          this.patchedAnnouncements++;
        } else this.scheduleRefresh();
      }),
      this.client.on('data.changed', ({ area }) => {
        if (area !== 'participants') return;
        if (this.patchedAnnouncements > 0) this.patchedAnnouncements--;
        else this.scheduleRefresh();
      }),
      this.client.transport.onLinkState((link) => {
        if (link === 'online') {
          this.streamWasOpen = true;
          if (this.state.link === 'unreachable') void this.reconnect();
        } else if (this.streamWasOpen) this.markUnreachable();
      }),
    );
    if (queue.length > 0) void this.reconnect();
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }

  current(): DeviceState {
    return this.state;
  }

  subscribe(listener: (state: DeviceState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The volunteer read the replay reports. */
  dismissReports(): void {
    this.update({ reports: [] });
  }

  /** The events the pickup table serves: the copy is of these. */
  follow(scope: NonNullable<Input<'pickup.deviceCopy'>['scope']>): Promise<void> {
    const key = JSON.stringify(scope);
    if (key === this.scopeKey) return this.refreshing ?? Promise.resolve();
    this.scopeKey = key;
    this.scope = scope;
    return this.state.link === 'online' ? this.refresh() : Promise.resolve();
  }

  /** A read the copy can answer: the station's answer while it answers, else the copy's. */
  async read<K extends CopyAnswered>(name: K, input: Input<K>): Promise<ApiResult<Output<K>>> {
    if (this.state.link === 'online') {
      const answer = await this.ask(name, input);
      if (answer.ok || answer.error.code !== 'network_error') return answer;
      this.markUnreachable();
    }
    const local = this.state.copy ? this.fromCopy(name, input) : undefined;
    if (local !== undefined) return { ok: true, value: local };
    return { ok: false, error: { code: 'network_error', message: 'Station unreachable — retrying… This device has no copy of this yet.' } };
  }

  async checkIn(ref: { provider: Input<'pickup.checkIn'>['provider']; participantId: string }, runnerName: string): Promise<WriteOutcome<Output<'pickup.checkIn'>>> {
    const input = { ...ref, opId: this.newOpId() };
    if (this.sendsDirectly()) {
      const answer = await this.ask('pickup.checkIn', input);
      if (answer.ok) {
        this.patch(ref.provider, ref.participantId, (row) => ({ ...row, checked_in: true, checked_in_by: answer.value.by, checked_in_at: answer.value.at }));
        return { queued: false, value: answer.value };
      }
      if (answer.error.code !== 'network_error') throw new ApiError(answer.error.code, answer.error.message);
      this.markUnreachable();
    } else {
      const copied = this.runners.get(runnerKey(ref.provider, ref.participantId))?.row;
      if (copied?.checked_in) {
        return {
          queued: false,
          value: { alreadyCheckedIn: true, by: copied.checked_in_by ?? 'another station', at: copied.checked_in_at ?? '', changeId: null, counters: this.eventCounters(copied.source_provider, copied.event_id) },
        };
      }
    }
    await this.enqueue({ handler: 'pickup.checkIn', input }, runnerName);
    return { queued: true };
  }

  async changeBib(change: Omit<Input<'pickup.changeBib'>, 'opId'>, runnerName: string): Promise<WriteOutcome<Output<'pickup.changeBib'>>> {
    const input = { ...change, opId: this.newOpId() };
    if (this.sendsDirectly()) {
      const answer = await this.ask('pickup.changeBib', input);
      if (answer.ok) {
        if (answer.value.changed) this.patch(change.provider, change.participantId, (row) => ({ ...row, bib_number: answer.value.newBib }));
        return { queued: false, value: answer.value };
      }
      if (answer.error.code !== 'network_error') throw new ApiError(answer.error.code, answer.error.message);
      this.markUnreachable();
    } else if (!change.confirmTaken) {
      const runner = this.runners.get(runnerKey(change.provider, change.participantId))?.row;
      const takenBy = this.bibHolders(change, runner);
      if (takenBy.length > 0) return { queued: false, value: { changed: false, oldBib: runner?.bib_number ?? null, newBib: change.newBib, takenBy, changeId: null } };
    }
    await this.enqueue({ handler: 'pickup.changeBib', input }, runnerName);
    return { queued: true };
  }

  /** Asks the station whether it is back; if so sends the queue, in order, and re-reads the copy. */
  async reconnect(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const probe = await this.ask('pickup.counters', { scope: this.scope ?? [] });
    if (!probe.ok && probe.error.code === 'network_error') {
      this.markUnreachable(true);
      return;
    }
    this.retries = 0;
    this.update({ link: 'online' });
    await this.replay();
    if (this.state.link === 'online' && this.scopeKey !== null) await this.refresh();
  }

  // -------------------------------------------------------------------------------------------

  /** While earlier changes wait in the queue, a new one waits behind them, so the station sees them in order. */
  private sendsDirectly(): boolean {
    return this.state.link === 'online' && this.queue.length === 0;
  }

  private async ask<K extends Parameters<Client['result']>[0]>(name: K, input: Input<K>): Promise<ApiResult<Output<K>>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<ApiResult<Output<K>>>((resolve) => {
      timer = setTimeout(() => resolve(unreachableResult), answerTimeoutMs);
    });
    try {
      return await Promise.race([this.client.result(name, input), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private markUnreachable(probeFailed = false): void {
    if (this.state.link === 'unreachable' && !probeFailed) return;
    this.update({ link: 'unreachable' });
    if (this.retryTimer) return;
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, retryDelayMs(this.retries, reconnectBackoff));
  }

  private async enqueue(op: QueuedInput, runnerName: string): Promise<void> {
    const queued = await this.store.enqueue({ ...op, queuedAt: new Date().toISOString(), runnerName, by: this.deviceName() ?? 'this device' } as Omit<QueuedOp, 'seq'>);
    this.queue.push(queued);
    this.applyQueued(queued);
    this.update({ queued: this.queue.length });
    if (this.state.link === 'online') void this.replay();
  }

  private replay(): Promise<void> {
    this.replaying ??= (async () => {
      while (this.queue.length > 0) {
        const op = this.queue[0];
        const answer: ApiResult<unknown> =
          op.handler === 'pickup.checkIn' ? await this.ask('pickup.checkIn', op.input) : await this.ask('pickup.changeBib', op.input);
        // Not heard, or this device is no longer paired: the op stays queued for the next try.
        if (!answer.ok && (answer.error.code === 'network_error' || answer.error.code === 'unauthorized')) {
          if (answer.error.code === 'network_error') this.markUnreachable(true);
          return;
        }
        await this.store.remove(op.seq);
        this.queue.shift();
        this.update({ queued: this.queue.length, reports: [replayReport(op, answer), ...this.state.reports].slice(0, keptReports) });
      }
    })().finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      const scopeKey = this.scopeKey ?? '[]';
      const answer = await this.client.result('pickup.deviceCopy', { scope: this.scope ?? [] });
      if (!answer.ok) {
        if (answer.error.code === 'network_error') this.markUnreachable();
        return;
      }
      const copy: StoredCopy = { scopeKey, rows: answer.value.rows, complete: answer.value.complete, takenAt: answer.value.takenAt };
      this.load(copy);
      await this.store.writeCopy(copy);
    })().finally(() => {
      this.refreshing = null;
      this.lastRefreshAt = Date.now();
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer || this.scopeKey === null) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      if (this.state.link === 'online') void this.refresh();
    }, Math.max(0, this.lastRefreshAt + refreshGapMs - Date.now()));
  }

  /** A copy as the station gave it, with the changes still queued here on top (the station has not seen them). */
  private load(copy: StoredCopy): void {
    this.runners = new Map(copy.rows.map((row) => [runnerKey(row.source_provider, row.participant_id), indexRunner(row)]));
    this.list = null;
    for (const op of this.queue) this.applyQueued(op);
    this.update({ copy: { runners: copy.rows.length, complete: copy.complete, takenAt: copy.takenAt } });
  }

  private applyQueued(op: QueuedOp): void {
    const { provider, participantId } = op.input;
    if (op.handler === 'pickup.checkIn') {
      this.patch(provider, participantId, (row) => (row.checked_in ? row : { ...row, checked_in: true, checked_in_by: op.by, checked_in_at: op.queuedAt }));
    } else {
      const newBib = op.input.newBib;
      this.patch(provider, participantId, (row) => ({ ...row, bib_number: newBib }));
    }
  }

  private patch(provider: string, participantId: string, change: (row: CopyRow) => CopyRow): void {
    const key = runnerKey(provider, participantId);
    const runner = this.runners.get(key);
    if (!runner) return;
    this.runners.set(key, { ...runner, row: change(runner.row) });
    this.list = null;
  }

  private fromCopy<K extends CopyAnswered>(name: K, input: Input<K>): Output<K> | undefined {
    if (name === 'lookup.search') {
      this.list ??= [...this.runners.values()];
      return searchCopy(this.list, input as Input<'lookup.search'>) as Output<K>;
    }
    if (name === 'pickup.participant') {
      const ref = input as Input<'pickup.participant'>;
      const row = this.runners.get(runnerKey(ref.provider, ref.participantId))?.row;
      // Card fields and history live on the station: the copy shows who the runner is and their state.
      return row ? ({ participant: row, fields: [], checkIn: null, history: [] } as Output<K>) : undefined;
    }
    return this.counters(input as Input<'pickup.counters'>) as Output<K>;
  }

  private counters(filter: Input<'pickup.counters'>): Output<'pickup.counters'> {
    const events = new Map<string, Output<'pickup.counters'>['events'][number]>();
    for (const { row } of this.runners.values()) {
      if (filter.provider && row.source_provider !== filter.provider) continue;
      if (filter.eventId && row.event_id !== filter.eventId) continue;
      if (filter.scope?.length && !filter.scope.some((e) => e.eventId === row.event_id && (!e.provider || e.provider === row.source_provider))) continue;
      const key = runnerKey(row.source_provider, row.event_id);
      const event = events.get(key) ?? { provider: row.source_provider, eventId: row.event_id, eventName: row.event_name, registered: 0, checkedIn: 0, walkUps: 0 };
      event.registered++;
      if (row.checked_in) event.checkedIn++;
      if (row.is_walk_up) event.walkUps++;
      events.set(key, event);
    }
    const list = [...events.values()];
    const total = list.reduce((sum, e) => ({ registered: sum.registered + e.registered, checkedIn: sum.checkedIn + e.checkedIn, walkUps: sum.walkUps + e.walkUps }), {
      registered: 0,
      checkedIn: 0,
      walkUps: 0,
    });
    return { events: list, total };
  }

  private eventCounters(provider: string, eventId: string): Output<'pickup.checkIn'>['counters'] {
    return this.counters({ provider: provider as Input<'pickup.counters'>['provider'], eventId }).events[0] ?? { provider, eventId, eventName: null, registered: 0, checkedIn: 0, walkUps: 0 };
  }

  private bibHolders(change: Omit<Input<'pickup.changeBib'>, 'opId'>, runner: CopyRow | undefined): Output<'pickup.changeBib'>['takenBy'] {
    if (!runner) return [];
    return [...this.runners.values()]
      .map(({ row }) => row)
      .filter((row) => row.source_provider === runner.source_provider && row.event_id === runner.event_id && row.bib_number === change.newBib && row.participant_id !== runner.participant_id)
      .map((row) => ({ provider: row.source_provider, participantId: row.participant_id, firstName: row.first_name, lastName: row.last_name, bib: change.newBib, isWalkUp: row.is_walk_up }));
  }

  private update(change: Partial<DeviceState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener(this.state);
  }
}

/** What became of a queued change once the station answered it, in the words the volunteer reads. */
export function replayReport(op: QueuedOp, answer: ApiResult<unknown>): ReplayReport {
  const name = op.runnerName;
  if (!answer.ok) {
    const what = op.handler === 'pickup.checkIn' ? 'check-in' : `bib change to ${op.input.newBib}`;
    return { seq: op.seq, tone: 'refused', text: `${name}: the station refused this device's ${what} (${answer.error.message})` };
  }
  if (op.handler === 'pickup.checkIn') {
    const value = answer.value as Output<'pickup.checkIn'>;
    return value.alreadyCheckedIn
      ? { seq: op.seq, tone: 'conflict', text: `${name} was already checked in by ${value.by} at ${shortTime(value.at)}. This device's check-in changed nothing.` }
      : { seq: op.seq, tone: 'done', text: `${name}: check-in sent to the station.` };
  }
  const value = answer.value as Output<'pickup.changeBib'>;
  if (value.changed) return { seq: op.seq, tone: 'done', text: `${name}: bib ${value.newBib} sent to the station.` };
  const holders = value.takenBy.map((holder) => fullName(holder.firstName, holder.lastName)).join(', ');
  return {
    seq: op.seq,
    tone: 'conflict',
    text: `Bib ${value.newBib} was taken meanwhile by ${holders}. ${name} keeps bib ${value.oldBib ?? '—'}: give them another one.`,
  };
}
