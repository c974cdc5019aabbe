import { randomUUID } from 'node:crypto';
import type { Core } from '../core.ts';
import { type ErrorCode, RaceDeskError, toErrorPayload } from '../errors.ts';
import type { SyncProgress } from '../api/events.ts';
import { getProvider } from '../providers/registry.ts';
import { connect } from '../providers/connect.ts';
import type { KnownEvent, AnyProviderDefinition, FetchOptions, Page, ProviderEvent, ProviderName, ProviderSession, TableTarget } from '../providers/types.ts';
import type { RecordIssue } from '../providers/record-problems.ts';
import { accountKey } from '../credentials/keychain.ts';
import { checkIdentifiers, deleteRows, upsertRows } from '../store/upsert.ts';
import { finishHistory, recordProblems, startHistory, type SyncType } from './history.ts';
import { storedEvents } from './stored-events.ts';
import { readCursor, writeCursor } from './cursors.ts';
import { findAccount } from '../accounts/accounts.ts';
import { backupBeforeSyncAfterMs, backupIfDue } from '../store/backups.ts';
import { letEventLoopRun } from '../event-loop.ts';
import { readAhead } from './read-ahead.ts';
import { eventHeldByAnotherService } from './event-service.ts';

export interface SyncRequest {
  provider: ProviderName;
  account: string;
  /** Event ids (as unified_events shows them) or group ids (e.g. RunSignUp race ids); empty = all. */
  events?: readonly string[];
  /** What to fetch per event; default: participants, and results where the provider has them. */
  kinds?: ReadonlyArray<'participants' | 'results'>;
  /** Ignore incremental cursors and re-pull everything (still no duplicates: rows upsert by key). */
  full?: boolean;
  /** Besides upcoming events, sync those that started up to this many days ago; default: the setting syncPastDays. */
  pastDays?: number;
  signal?: AbortSignal;
  runId?: string;
  onProgress?: (progress: SyncProgress) => void;
}

export interface EventSyncOutcome {
  eventId: string;
  eventName: string;
  kind: 'participants' | 'results';
  status: 'success' | 'partial' | 'failed';
  records: number;
  /** Of `records`, those already stored as sent (store/upsert.ts wrote nothing for them). */
  unchanged: number;
  deleted: number;
  error: string | null;
  /** Stable code of the failure (e.g. network_error), so a scheduler can tell offline from broken. */
  errorCode: ErrorCode | null;
}

export interface SyncSummary {
  runId: string;
  provider: ProviderName;
  account: string;
  status: 'success' | 'partial' | 'failed' | 'cancelled';
  eventsListed: number;
  outcomes: EventSyncOutcome[];
}

/** Opens an authenticated session for a configured account (secret from the keychain). */
export async function openSession(core: Core, providerName: string, accountLabel: string): Promise<{ definition: AnyProviderDefinition; session: ProviderSession }> {
  const definition = getProvider(providerName);
  const account = findAccount(core, definition.name, accountLabel);
  const stored = await core.credentials.get(accountKey(definition.name, account.label));
  if (!stored) {
    throw new RaceDeskError(
      'not_found',
      `No credentials in the keychain for ${definition.displayName} account "${account.label}". Add the account again.`,
    );
  }
  const secret = definition.secretSchema.parse(stored);
  return { definition, session: connect(core, definition, account.label, account.baseUrl ?? definition.defaultBaseUrl, secret) };
}

/**
 * One sync run for one account: list the events the account sees (stored in one transaction),
 * then for each selected event page through participants (and results), storing each page in its
 * own transaction. A page that fails leaves the pages before it stored and nothing of itself;
 * the event's sync_history row says 'partial' (some pages stored) or 'failed' (none). Incremental
 * cursors are saved only when an event's run completed.
 */
export async function runSync(core: Core, request: SyncRequest): Promise<SyncSummary> {
  const runId = request.runId ?? randomUUID();
  const { definition, session } = await openSession(core, request.provider, request.account);
  // A sync rewrites many rows at once: the copy before it is the one to go back to if it goes wrong.
  // Awaited: the copy is of the state before this sync wrote anything (the copying runs off the event loop).
  await backupIfDue(core.db, core.log, backupBeforeSyncAfterMs);
  const partnerId = core.settings.read().partner?.id ?? null;
  const emit = (progress: Omit<SyncProgress, 'runId' | 'provider' | 'account'>) => {
    const full: SyncProgress = { runId, provider: definition.name, account: request.account, ...progress };
    request.onProgress?.(full);
    core.events.emit('sync.progress', full);
  };
  const history = (syncType: SyncType, eventId: string | null) =>
    startHistory(core.db, { partnerId, provider: definition.name, syncType, account: request.account, eventId });

  emit({ eventId: null, eventName: null, phase: 'events', page: 0, pageCount: null, records: 0 });
  const listingId = history('events', null);
  const pastDays = request.pastDays ?? core.settings.read().syncPastDays;
  const startDate = new Date(Date.now() - pastDays * 86_400_000).toISOString().slice(0, 10);
  const listingProblems: RecordIssue[] = [];
  const refused = new Map<string, string>();
  let events: ProviderEvent[];
  try {
    const listed = await session.listEvents(request.signal, { startDate, problems: listingProblems });
    // Events synced before that the listing no longer shows (finished or renewed races) stay
    // syncable by id: the ones asked for, and by default those of the last pastDays days.
    const missing = storedEvents(core.db, definition.name, request.account, request.events ?? [], startDate).filter(
      (known) => !listed.some((e) => matches(e, known.id)),
    );
    const fetched = missing.length === 0 ? [] : session.fetchEvents ? await session.fetchEvents(missing, request.signal) : missing.flatMap(fromStore);
    events = [...listed, ...fetched.filter((e) => !listed.some((l) => l.eventId === e.eventId))];
    let unchangedEvents = 0;
    core.db.transaction(() => {
      for (const event of events) {
        const held = eventHeldByAnotherService(core, definition, request.account, event.eventId);
        if (held) {
          refused.set(event.eventId, held);
          continue;
        }
        const { written } = upsertRows(core.db, definition.tables.events.table, definition.tables.events.key, event.rows, definition.tables.events.fetchStamps);
        if (written === 0) unchangedEvents += 1;
      }
      recordProblems(core.db, listingId, listingProblems);
    })();
    finishHistory(core.db, listingId, {
      status: listingProblems.length > 0 ? 'partial' : 'success',
      records: events.length,
      unchanged: unchangedEvents,
      error: problemSummary(listingProblems),
    });
  } catch (error) {
    finishHistory(core.db, listingId, { status: 'failed', records: 0, error: toErrorPayload(error).message });
    emit({ eventId: null, eventName: null, phase: 'failed', page: 0, pageCount: null, records: 0, message: toErrorPayload(error).message });
    throw error;
  }

  const selected = selectEvents(events, request.events ?? []);
  const kinds = request.kinds ?? (session.resultPages && definition.tables.results ? ['participants', 'results'] : ['participants']);
  const outcomes: EventSyncOutcome[] = [];
  let cancelled = false;

  for (const event of selected) {
    const held = refused.get(event.eventId);
    if (held) {
      finishHistory(core.db, history('participants', event.eventId), { status: 'failed', records: 0, error: held });
      outcomes.push({ eventId: event.eventId, eventName: event.name, kind: 'participants', status: 'failed', records: 0, unchanged: 0, deleted: 0, error: held, errorCode: 'conflict' });
      continue;
    }
    for (const kind of kinds) {
      if (request.signal?.aborted) {
        cancelled = true;
        break;
      }
      const outcome = await syncEventKind(core, { definition, session, event, kind, request, emit, historyId: history(kind, event.eventId) });
      outcomes.push(outcome);
      if (outcome.error === cancelledMessage) cancelled = true;
    }
    core.events.emit('data.changed', { area: 'participants' });
    if (cancelled) break;
  }

  // An outcome that stopped on an error counts as failed; one that only reported odd records does not.
  const broken = outcomes.filter((o) => o.errorCode !== null).length;
  const clean = broken === 0 && listingProblems.length === 0 && outcomes.every((o) => o.status === 'success');
  const status: SyncSummary['status'] = cancelled
    ? 'cancelled'
    : clean
      ? 'success'
      : broken > 0 && broken === outcomes.length
        ? 'failed'
        : 'partial';
  emit({ eventId: null, eventName: null, phase: cancelled ? 'cancelled' : broken === 0 ? 'done' : 'failed', page: 0, pageCount: null, records: outcomes.reduce((n, o) => n + o.records, 0) });
  return { runId, provider: definition.name, account: request.account, status, eventsListed: events.length, outcomes };
}

const cancelledMessage = 'Cancelled; the pages fetched before the cancel are stored.';

/*
 * A page is stored in slices of this many rows, each in its own transaction, with the event loop
 * let run before each: one transaction for a page of 1,000 rows (search index and outbox kept by
 * triggers) held the core host's loop for 300-800 ms, and every window and venue device waited;
 * a slice of 200 then took about 40 ms of CPU, several times that in wall time on a busy laptop.
 * Since the search index is written in JavaScript (store/search-index.ts) a row costs about half,
 * and each commit's WAL writes are what a small slice pays most for (docs/performance-ingest.md).
 * 250 rows a slice kept the host's longest loop turn at 60 ms of CPU in the desktop bench on a
 * quiet machine, but 110-130 ms on a slower, loaded one (a slice of 250 alone about 90 ms, the
 * page's JSON parse in the same turn about 20): 150 rows keeps that machine under the 100 ms a
 * window may wait, at 1.7 times the commits of 250.
 * The first slice waits its turn too: it would otherwise run in the same turn as the end of
 * reading the page. Storing part of a page is safe: the cursor moves only once a run completes,
 * so an interrupted run fetches the page again, and rows upsert (and deletes repeat) by key.
 */
export const storeSliceRows = 150;

/** Runs `store` over `items` in slices of storeSliceRows, one transaction each, letting the event loop run before each. */
async function inSlices<T>(core: Core, items: readonly T[], store: (slice: readonly T[]) => void): Promise<void> {
  for (let at = 0; at < items.length; at += storeSliceRows) {
    await letEventLoopRun();
    core.db.transaction(() => store(items.slice(at, at + storeSliceRows)))();
  }
}

function matches(event: ProviderEvent, id: string): boolean {
  return event.eventId === id || (event.groupId != null && event.groupId === id);
}

/** A stored event as the runner needs it, for providers that cannot fetch one by id. */
function fromStore(known: KnownEvent): ProviderEvent[] {
  if (known.eventId === null) return [];
  return [{ eventId: known.eventId, name: known.name ?? known.eventId, startsAt: known.startsAt, groupId: known.groupId, rows: [] }];
}

/** "2 records had unreadable fields (stored as NULL), 1 was skipped", or null when none. */
export function problemSummary(problems: readonly RecordIssue[]): string | null {
  if (problems.length === 0) return null;
  const skipped = new Set(problems.filter((p) => p.skipped).map((p) => p.recordId ?? p.problem)).size;
  const nulled = new Set(problems.filter((p) => !p.skipped).map((p) => p.recordId ?? p.problem)).size;
  const parts = [
    nulled > 0 ? `${nulled} record${nulled === 1 ? '' : 's'} had unreadable fields (stored as NULL)` : null,
    skipped > 0 ? `${skipped} record${skipped === 1 ? ' was' : 's were'} skipped` : null,
  ].filter(Boolean);
  return `${parts.join(', ')}; see the problems listed with this run.`;
}

function selectEvents(events: ProviderEvent[], wanted: readonly string[]): ProviderEvent[] {
  if (wanted.length === 0) return events;
  const chosen = events.filter((e) => wanted.includes(e.eventId) || (e.groupId != null && wanted.includes(e.groupId)));
  const unknown = wanted.filter((id) => !events.some((e) => e.eventId === id || e.groupId === id));
  if (unknown.length > 0) {
    throw new RaceDeskError('not_found', `This account sees no event or race with id ${unknown.join(', ')}.`);
  }
  return chosen;
}

async function syncEventKind(
  core: Core,
  job: {
    definition: AnyProviderDefinition;
    session: ProviderSession;
    event: ProviderEvent;
    kind: 'participants' | 'results';
    request: SyncRequest;
    emit: (progress: Omit<SyncProgress, 'runId' | 'provider' | 'account'>) => void;
    historyId: number;
  },
): Promise<EventSyncOutcome> {
  const { definition, session, event, kind, request, emit, historyId } = job;
  const target = kind === 'participants' ? definition.tables.participants : definition.tables.results;
  const cursorKey = { provider: definition.name, account: request.account, syncType: kind, eventId: event.eventId };
  const since = request.full ? null : readCursor(core.db, cursorKey);
  let records = 0;
  let unchanged = 0;
  let deleted = 0;
  let cursor: string | null = null;
  const problems: RecordIssue[] = [];
  const base = { eventId: event.eventId, eventName: event.name, phase: kind } as const;
  emit({ ...base, page: 0, pageCount: null, records: 0 });
  try {
    if (!target) throw new RaceDeskError('invalid_input', `${definition.displayName} has no ${kind} table.`);
    const storedIdsWith = (columns: readonly string[]) => storedIds(core, target, event.eventId, columns);
    const { resultPages } = session;
    const fetchPages: ((options: FetchOptions) => AsyncIterable<Page>) | undefined =
      kind === 'participants'
        ? (options) => session.participantPages(event, options)
        : resultPages && ((options) => resultPages.call(session, event, options));
    if (!fetchPages) throw new RaceDeskError('invalid_input', `${definition.displayName} publishes no ${kind}.`);
    // The next page is fetched while this one is stored (read-ahead.ts).
    for await (const page of readAhead((signal) => fetchPages({ since, signal, storedIdsWith }), request.signal)) {
      await inSlices(core, page.rows, (rows) => {
        const counts = upsertRows(core.db, target.table, target.key, rows, target.fetchStamps);
        records += counts.rows;
        unchanged += counts.rows - counts.written;
      });
      // A removed registration's reason (and a transfer's new registration) is kept before its row goes.
      const removals = definition.tables.removals;
      if (removals && page.removals?.length) await inSlices(core, page.removals, (rows) => upsertRows(core.db, removals.table, removals.key, rows));
      await inSlices(core, page.deletedKeys ?? [], (keys) => (deleted += deleteRows(core.db, target.table, keys)));
      if (page.problems?.length) core.db.transaction(() => recordProblems(core.db, historyId, page.problems!))();
      if (page.problems) problems.push(...page.problems);
      if (page.cursorAfter != null) cursor = page.cursorAfter;
      emit({ ...base, page: page.page, pageCount: page.pageCount ?? null, records });
      if (request.signal?.aborted) throw new RaceDeskError('cancelled', cancelledMessage);
    }
    if (cursor !== null) writeCursor(core.db, cursorKey, cursor);
    const status = problems.length > 0 ? 'partial' : 'success';
    const summary = problemSummary(problems);
    finishHistory(core.db, historyId, { status, records: records + deleted, unchanged, error: summary });
    return { eventId: event.eventId, eventName: event.name, kind, status, records, unchanged, deleted, error: summary, errorCode: null };
  } catch (error) {
    const aborted = request.signal?.aborted || (error instanceof RaceDeskError && error.code === 'cancelled');
    const payload = toErrorPayload(error);
    const message = aborted ? cancelledMessage : payload.message;
    const status = records + deleted > 0 ? 'partial' : 'failed';
    finishHistory(core.db, historyId, { status, records: records + deleted, unchanged, error: message });
    if (!aborted && error instanceof RaceDeskError && error.code === 'auth_failed') throw error;
    return { eventId: event.eventId, eventName: event.name, kind, status, records, unchanged, deleted, error: message, errorCode: aborted ? 'cancelled' : payload.code };
  }
}

/** FetchOptions.storedIdsWith for one event of one table. */
function storedIds(core: Core, target: TableTarget, eventId: string, columns: readonly string[]): ReadonlySet<string> {
  const id = target.key[target.key.length - 1];
  checkIdentifiers([target.table, id, ...columns]);
  const filled = columns.map((column) => `${column} IS NOT NULL`).join(' OR ');
  const rows = core.db.prepare(`SELECT ${id} AS id FROM ${target.table} WHERE event_id = ? AND (${filled})`).all(eventId) as Array<{ id: string | number }>;
  return new Set(rows.map((row) => String(row.id)));
}
