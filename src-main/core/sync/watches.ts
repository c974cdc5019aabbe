import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import type { SyncType } from './history.ts';
import { enqueueJob, hasOpenJob, iso } from './job-queue.ts';

/*
 * Events a crew keeps fresh: the scheduler enqueues a job for each watch when it is due, every
 * interval_minutes, or every race_day_interval_minutes on the race day itself (registrations,
 * transfers and bib changes pile up that morning).
 */

export interface Watch {
  provider: string;
  account: string;
  eventId: string;
  syncType: SyncType;
  intervalMinutes: number;
  raceDay: string | null;
  raceDayIntervalMinutes: number | null;
  priority: number;
  nextRunAt: string;
}

interface WatchRow {
  provider_name: string;
  account_label: string;
  event_id: string;
  sync_type: SyncType;
  interval_minutes: number;
  race_day: string | null;
  race_day_interval_minutes: number | null;
  priority: number;
  next_run_at: string;
}

function toWatch(row: WatchRow): Watch {
  return {
    provider: row.provider_name,
    account: row.account_label,
    eventId: row.event_id,
    syncType: row.sync_type,
    intervalMinutes: row.interval_minutes,
    raceDay: row.race_day,
    raceDayIntervalMinutes: row.race_day_interval_minutes,
    priority: row.priority,
    nextRunAt: row.next_run_at,
  };
}

/** Race-day syncs come this often unless the watch says otherwise (or its interval is shorter). */
const defaultRaceDayIntervalMinutes = 5;

export interface WatchInput {
  provider: string;
  account: string;
  eventId: string;
  intervalMinutes: number;
  syncType?: SyncType;
  /** YYYY-MM-DD; when omitted, the event's own date from the local store, if it is known. */
  raceDay?: string | null;
  raceDayIntervalMinutes?: number | null;
  priority?: number;
}

/** Starts (or changes) keeping an event fresh; its first sync is due at once. */
export function watchEvent(db: Db, input: WatchInput, now: number): Watch {
  const raceDay = input.raceDay ?? storedEventDate(db, input.provider, input.eventId);
  if (raceDay !== null && !/^\d{4}-\d{2}-\d{2}$/.test(raceDay)) {
    throw new RaceDeskError('invalid_input', `The race day must be a date like 2026-06-14, not "${raceDay}".`);
  }
  const raceDayInterval = input.raceDayIntervalMinutes ?? Math.min(input.intervalMinutes, defaultRaceDayIntervalMinutes);
  const row = db
    .prepare(
      `INSERT INTO sync_watches (provider_name, account_label, event_id, sync_type, interval_minutes, race_day,
         race_day_interval_minutes, priority, next_run_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (provider_name, account_label, event_id, sync_type) DO UPDATE SET
         interval_minutes = excluded.interval_minutes, race_day = excluded.race_day,
         race_day_interval_minutes = excluded.race_day_interval_minutes, priority = excluded.priority,
         next_run_at = excluded.next_run_at
       RETURNING *`,
    )
    .get(input.provider, input.account, input.eventId, input.syncType ?? 'participants', input.intervalMinutes, raceDay,
      raceDayInterval, input.priority ?? 5, iso(now)) as WatchRow;
  return toWatch(row);
}

export function unwatchEvent(db: Db, key: { provider: string; account: string; eventId: string; syncType?: SyncType }): void {
  const removed = db
    .prepare(`DELETE FROM sync_watches WHERE provider_name = ? AND account_label = ? AND event_id = ? AND sync_type = ?`)
    .run(key.provider, key.account, key.eventId, key.syncType ?? 'participants').changes;
  if (removed === 0) {
    throw new RaceDeskError('not_found', `Event ${key.eventId} of ${key.provider} account "${key.account}" is not being kept fresh.`);
  }
}

export function listWatches(db: Db): Watch[] {
  return (db.prepare(`SELECT * FROM sync_watches ORDER BY provider_name, account_label, event_id, sync_type`).all() as WatchRow[]).map(toWatch);
}

/** The local calendar date of `ms`: race day is a day at the venue, not in UTC. */
export function localDate(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function intervalFor(watch: Watch, now: number): number {
  const onRaceDay = watch.raceDay !== null && watch.raceDay === localDate(now);
  return (onRaceDay ? (watch.raceDayIntervalMinutes ?? watch.intervalMinutes) : watch.intervalMinutes) * 60_000;
}

/**
 * Enqueues a job for every watch that is due and has none waiting or running, and sets its next
 * time. A watch whose previous job is still open is left due, so it is enqueued as soon as that
 * job ends rather than piling up jobs while the provider is unreachable.
 */
export function enqueueDueWatches(db: Db, now: number): number {
  const due = (db.prepare(`SELECT * FROM sync_watches WHERE next_run_at <= ?`).all(iso(now)) as WatchRow[]).map(toWatch);
  let enqueued = 0;
  for (const watch of due) {
    const key = { provider: watch.provider, account: watch.account, syncType: watch.syncType, eventId: watch.eventId };
    const added = db.transaction((): boolean => {
      if (hasOpenJob(db, key)) return false;
      enqueueJob(db, { ...key, priority: watch.priority }, now);
      db.prepare(
        `UPDATE sync_watches SET next_run_at = ? WHERE provider_name = ? AND account_label = ? AND event_id = ? AND sync_type = ?`,
      ).run(iso(now + intervalFor(watch, now)), watch.provider, watch.account, watch.eventId, watch.syncType);
      return true;
    });
    if (added.immediate()) enqueued++;
  }
  return enqueued;
}

function storedEventDate(db: Db, provider: string, eventId: string): string | null {
  const row = db
    .prepare(`SELECT substr(event_date, 1, 10) AS day FROM unified_events WHERE source_provider = ? AND event_id = ? LIMIT 1`)
    .get(provider, eventId) as { day: string | null } | undefined;
  return row?.day && /^\d{4}-\d{2}-\d{2}$/.test(row.day) ? row.day : null;
}
