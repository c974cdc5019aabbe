import type { z } from 'zod';
import type { Db } from '../store/database.ts';
import { foldForSearch } from '../store/sql-fold.ts';
import { venueColumns } from '../pickup/participants.ts';
import { checkInCounts, checkInStateOfSearchRow } from '../pickup/counters.ts';
import { lookupMatchCondition } from '../lookup/lookup.ts';
import { boundLimit } from '../store/statements.ts';
import type {
  EventChoice,
  eventFilterSchema,
  participantFilterSchema,
  resultFilterSchema,
} from './schemas.ts';

/*
 * One query shape per table: a FROM with the joins its columns need, a WHERE built from the
 * filter (values bound), and an ORDER BY from the whitelisted sort column plus the row's key, so
 * pages are stable when many rows tie (thousands share a gender or an event).
 */
export interface Sort {
  column: string;
  direction: 'asc' | 'desc';
}

interface TableQuery {
  with: string;
  select: string;
  from: string;
  /** FROM for counting: without joins the filter does not need. */
  countFrom: string;
  where: string[];
  params: Record<string, unknown>;
  order: string;
}

/** One row per event (provider, event_id), named as everywhere (store migration 0065). */
const eventNames = `ev AS MATERIALIZED (SELECT source_provider, event_id, event_title AS event_name FROM event_titles)`;

/** NULLs last in both directions: an unknown age or bib should not open the table. */
function orderBy(column: string, keys: readonly string[], direction: 'asc' | 'desc', tieBreak: string): string {
  const dir = direction.toUpperCase();
  return `ORDER BY ${column} IS NULL, ${keys.map((key) => `${key} ${dir}`).join(', ')}, ${tieBreak}`;
}

const text = (column: string) => [`${column} COLLATE NOCASE`];
// Bibs are mostly numbers: 9 before 10, and "A12" after the numbers.
const bib = (column: string) => [`CAST(${column} AS INTEGER) = 0`, `CAST(${column} AS INTEGER)`, column];
const plain = (column: string) => [column];

interface SortKey {
  column: string;
  keys: string[];
}
const key = (column: string, keys: (column: string) => string[] = plain): SortKey => ({ column, keys: keys(column) });

const participantSort: Record<string, SortKey> = {
  last_name: key('u.last_name', text),
  first_name: key('u.first_name', text),
  bib_number: key('u.bib_number', bib),
  source_provider: key('u.source_provider'),
  event_name: key('ev.event_name', text),
  gender: key('u.gender'),
  age: key('u.age'),
  city: key('u.city', text),
  team_name: key('u.team_name', text),
  registration_date: key('u.registration_date'),
  checked_in: key('u.checked_in'),
  checked_in_at: key('u.checked_in_at'),
  is_walk_up: key('u.is_walk_up'),
};

/** Adds `column = @name` to a table's WHERE clause when its filter has a value. */
export function whereEquals(where: string[], params: Record<string, unknown>, column: string, name: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  where.push(`${column} = @${name}`);
  params[name] = value;
}

export function participantsQuery(filter: z.output<typeof participantFilterSchema>, sort: Sort | undefined): TableQuery {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  whereEquals(where, params, 'u.source_provider', 'provider', filter.provider);
  whereEquals(where, params, 'u.event_id', 'eventId', filter.eventId);
  whereEquals(where, params, 'u.gender', 'gender', filter.gender);
  whereEquals(where, params, 'u.checked_in', 'checkedIn', filter.checkedIn === undefined ? undefined : filter.checkedIn ? 1 : 0);
  whereEquals(where, params, 'u.is_walk_up', 'walkUp', filter.walkUp === undefined ? undefined : filter.walkUp ? 1 : 0);
  if (filter.search) where.push(lookupMatchCondition(filter.search, params, { provider: 'u.source_provider', participantId: 'u.participant_id' }));
  const s = sort ?? { column: 'last_name', direction: 'asc' };
  const sortKey = participantSort[s.column];
  return {
    with: `WITH ${eventNames}`,
    select: `SELECT ${venueColumns.replace(/(\w+)/g, 'u.$1')}, ev.event_name`,
    from: 'FROM unified_participants u LEFT JOIN ev ON ev.source_provider = u.source_provider AND ev.event_id = u.event_id',
    countFrom: 'FROM unified_participants u',
    where,
    params,
    order: orderBy(sortKey.column, sortKey.keys, s.direction, 'u.last_name COLLATE NOCASE, u.first_name COLLATE NOCASE, u.source_provider, u.participant_id'),
  };
}

const eventSort: Record<string, SortKey> = {
  event_name: key('e.row_name', text),
  event_date: key('e.event_date'),
  source_provider: key('e.source_provider'),
  race_name: key('e.race_name', text),
  registered: key('registered'),
  checked_in: key('checked_in'),
  walk_ups: key('walk_ups'),
  fetched_date: key('e.fetched_date'),
};

/**
 * Registrations, check-ins and walk-ups per event row, counted once for the whole table: a Race
 * Roster registration counts in its sub-event (a walk-up, which has none, only in the event's
 * counters on Pickup).
 */
const eventCounts = `counts AS MATERIALIZED (
  SELECT ps.provider, ps.event_id,
         CASE WHEN ps.provider = 'raceroster' THEN CAST(rr.race_id AS TEXT) END AS sub_event_id,
         ${checkInCounts}
  FROM participant_search ps
  LEFT JOIN raceroster_participants rr ON ps.provider = 'raceroster' AND rr.rowid = ps.source_rowid
  LEFT JOIN participant_state s ON ${checkInStateOfSearchRow}
  GROUP BY 1, 2, 3)`;

export function eventsQuery(filter: z.output<typeof eventFilterSchema>, sort: Sort | undefined): TableQuery {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  whereEquals(where, params, 'e.source_provider', 'provider', filter.provider);
  if (filter.search) {
    where.push(`(instr(rd_fold(e.row_name), @search) > 0 OR instr(rd_fold(e.race_name), @search) > 0 OR e.event_id = @rawSearch)`);
    params.search = foldForSearch(filter.search) ?? '';
    params.rawSearch = filter.search.trim();
  }
  const s = sort ?? { column: 'event_date', direction: 'asc' };
  return {
    with: `WITH ${eventCounts}`,
    select: `SELECT e.source_provider, e.event_id, e.sub_event_id, e.row_name AS event_name, e.event_title, e.event_date,
                    e.race_id, e.race_name, e.fetched_date, e.credentials_used, coalesce(c.registered, 0) AS registered,
                    coalesce(c.checked_in, 0) AS checked_in, coalesce(c.walk_ups, 0) AS walk_ups`,
    from: `FROM event_rows e
           LEFT JOIN counts c ON c.provider = e.source_provider AND c.event_id = e.event_id AND c.sub_event_id IS e.sub_event_id`,
    countFrom: 'FROM event_rows e',
    where,
    params,
    order: orderBy(eventSort[s.column].column, eventSort[s.column].keys, s.direction, 'e.source_provider, e.event_id, e.sub_event_id'),
  };
}

const resultSort: Record<string, SortKey> = {
  overall_place: key('r.overall_place'),
  last_name: key('r.last_name', text),
  first_name: key('r.first_name', text),
  bib_number: key('r.bib_number', bib),
  source_provider: key('r.source_provider'),
  event_name: key('ev.event_name', text),
  gender: key('r.gender'),
  age: key('r.age'),
  results_time: key('r.results_time'),
  results_gun_time: key('r.results_gun_time'),
  status: key('r.status'),
};

export function resultsQuery(filter: z.output<typeof resultFilterSchema>, sort: Sort | undefined): TableQuery {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  whereEquals(where, params, 'r.source_provider', 'provider', filter.provider);
  whereEquals(where, params, 'r.event_id', 'eventId', filter.eventId);
  whereEquals(where, params, 'r.gender', 'gender', filter.gender);
  whereEquals(where, params, 'r.status', 'status', filter.status);
  if (filter.search) {
    // Results rows are not in participant_search (crew results may have no registration): fold here.
    where.push(`(r.bib_number = @rawSearch OR rd_fold(r.last_name) >= @search AND rd_fold(r.last_name) < @searchEnd
                 OR rd_fold(r.first_name) >= @search AND rd_fold(r.first_name) < @searchEnd)`);
    params.rawSearch = filter.search.trim();
    params.search = foldForSearch(filter.search) ?? '';
    params.searchEnd = `${params.search}\u{10FFFF}`;
  }
  const s = sort ?? { column: 'overall_place', direction: 'asc' };
  return {
    with: `WITH ${eventNames}`,
    select: `SELECT r.source_provider, r.event_id, ev.event_name, CAST(r.participant_id AS TEXT) AS participant_id,
                    CAST(r.bib_number AS TEXT) AS bib_number, r.first_name, r.last_name, r.gender, r.age,
                    r.results_time, r.results_gun_time, r.overall_place, r.status, r.fetched_date`,
    from: 'FROM unified_results r LEFT JOIN ev ON ev.source_provider = r.source_provider AND ev.event_id = r.event_id',
    countFrom: 'FROM unified_results r',
    where,
    params,
    order: orderBy(resultSort[s.column].column, resultSort[s.column].keys, s.direction, 'r.source_provider, r.event_id, r.participant_id'),
  };
}

/** Every event once, by name (then date): the options of an event picker. */
export function eventChoices(db: Db, provider: string | undefined): EventChoice[] {
  return db
    .prepare(
      `SELECT source_provider, event_id, event_title AS event_name, event_date FROM event_titles
       WHERE @provider IS NULL OR source_provider = @provider
       ORDER BY event_title COLLATE NOCASE, event_date, source_provider, event_id`,
    )
    .all({ provider: provider ?? null }) as EventChoice[];
}

export function readPage<Row>(db: Db, query: TableQuery, offset: number, limit: number): { rows: Row[]; total: number } {
  const where = query.where.length ? `WHERE ${query.where.join(' AND ')}` : '';
  const rows = db
    .prepare(`${query.with} ${query.select} ${query.from} ${where} ${query.order} ${boundLimit('@limit')} OFFSET @offset`)
    .all({ ...query.params, limit, offset }) as Row[];
  const total = (db.prepare(`SELECT count(*) AS n ${query.countFrom} ${where}`).get(query.params) as { n: number }).n;
  return { rows, total };
}

export function readAll<Row>(db: Db, query: TableQuery): IterableIterator<Row> {
  const where = query.where.length ? `WHERE ${query.where.join(' AND ')}` : '';
  return db.prepare(`${query.with} ${query.select} ${query.from} ${where} ${query.order}`).iterate(query.params) as IterableIterator<Row>;
}
