import type pg from 'pg';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { connectHub, hubError, redactUrl, type HubConnection } from './client.ts';
import { laptopId, localColumnTypes, pushedColumns } from './outbox.ts';
import { pulledTables, type PushableTable } from '../store/pushable-tables.ts';
import { checkHub, readHubColumns, type HubColumns } from './push.ts';
import { copiedBatches, type CopiedRow } from './copy-rows.ts';
import { deferIndexes, restoreDeferredIndexesInTurns } from '../store/deferred-indexes.ts';
import { indexedRunnerCount, lookupIndexTables } from '../store/search-index.ts';
import { deletePulledRows, pullCursor, raiseCursor, recordPullFailure, recordPullSuccess, startPullFrom, writePulledBatch, type PulledTable } from './pulled-rows.ts';

/*
 * Brings this laptop what the partner's hub holds and it lacks (issue 19): every row of the
 * pulled tables (pushable-tables.ts) that changed on the hub since this laptop's last pull.
 *
 * Incremental: each hub row carries change_seq (hub migration 27), numbered so that what any
 * snapshot shows of a partner is every number up to its highest. The laptop keeps, per table,
 * the highest number it holds (pulled-rows.ts) and asks only for rows above it, in change_seq
 * order, streamed by COPY (copy-rows.ts) and written in batches. Rows this laptop pushed itself
 * (changed_by) are not sent back.
 *
 * Consistent: the whole pull reads one REPEATABLE READ snapshot, tables parents first, so a
 * participant never arrives before its event, whatever the other laptops push meanwhile.
 *
 * Resumable: each batch is written, and its table's cursor moved past it, in one SQLite
 * transaction. Killed anywhere, the laptop holds whole batches only, and the next pull (a new
 * snapshot) asks from the cursor on: nothing is lost and nothing arrives twice.
 *
 * Merged by the hub's rule: venue changes are append-only rows keyed by change_id, and the
 * laptop's participant_state trigger folds pulled ones in exactly like its own (newest changed_at
 * per field wins, ties by change_id), so a runner checked in on two laptops shows once with both
 * check-ins in the audit trail. A row this laptop changed and not yet pushed keeps the laptop's
 * version (pulled-rows.ts): its push will give the hub that version, as a later push always does.
 */
export interface PullOptions {
  connection: HubConnection;
  partnerId: number;
  batchSize?: number;
  onBatch?: (progress: PullProgress) => void;
  /**
   * Test hook at each step of a batch: 'batch-read' (rows fetched, nothing written), 'batch-writing'
   * (inside the SQLite transaction, called synchronously), 'batch-written' (committed).
   */
  checkpoint?: (step: PullStep, table: string) => Promise<void> | void;
  /** A pull of at least this many rows, and of more than the lookup index holds, builds that index at its end (default bulkPullRows). */
  bulkFrom?: number;
}

export type PullStep = 'batch-read' | 'batch-writing' | 'batch-written';

export interface PullProgress {
  table: string;
  /** Rows in this batch. */
  rows: number;
  /** Rows pulled so far in this pull, of `total` the hub had for this laptop when it began. */
  pulled: number;
  total: number;
}

export interface PullSummary {
  batches: number;
  /** Hub rows this pull brought. */
  rows: number;
  /** Of those, rows kept as the laptop has them because it changed them and has not pushed yet. */
  keptLocal: number;
}

/** Rows per batch: one SQLite transaction, which holds the core's event loop while it writes. */
export const defaultPullBatchSize = 5_000;

/*
 * From this many rows a pull that brings more than the laptop holds (a new or replacement laptop)
 * defers the lookup index's indexes and builds them once at its end (store/deferred-indexes.ts):
 * in one run at 200,000 runners, 22.1 s became 13.2 s (docs/performance-pull.md). Smaller pulls keep the index whole.
 */
export const bulkPullRows = 10_000;

export async function pullChanges(db: Db, options: PullOptions): Promise<PullSummary> {
  const size = options.batchSize ?? defaultPullBatchSize;
  if (!Number.isSafeInteger(size) || size < 1) throw new RaceDeskError('internal', `A pull batch needs at least one row (got ${size}).`);
  const summary: PullSummary = { batches: 0, rows: 0, keptLocal: 0 };
  let client: pg.Client | null = null;
  try {
    client = await connectHub(options.connection);
    await checkHub(client, options.partnerId, 'Nothing was pulled');
    const hubColumns = await readHubColumns(client);
    const laptop = laptopId(db);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const partner = await client.query<{ company_name: string | null }>(
      'SELECT company_name FROM public.timing_partners WHERE timing_partner_id = $1',
      [options.partnerId],
    );
    startPullFrom(db, pullSource(options), { id: options.partnerId, name: partner.rows[0]?.company_name ?? `Timing partner ${options.partnerId}` });
    const streams = pulledTables.flatMap((table) => pullStreams(db, table, hubColumns, { partnerId: options.partnerId, laptop }));
    let total = 0;
    for (const stream of streams) {
      const { rows } = await client.query<{ n: string }>(stream.count(pullCursor(db, stream.cursor)));
      total += Number(rows[0].n);
    }
    // The runners are counted only for a pull that large: an auto-pull of a few rows costs no count of a million.
    if (total >= (options.bulkFrom ?? bulkPullRows) && total > indexedRunnerCount(db)) deferIndexes(db, lookupIndexTables);
    for (const stream of streams) {
      for await (const rows of copiedBatches(client, stream.select(pullCursor(db, stream.cursor)), size)) {
        await options.checkpoint?.('batch-read', stream.cursor);
        const kept = stream.apply(rows, () => void options.checkpoint?.('batch-writing', stream.cursor));
        await options.checkpoint?.('batch-written', stream.cursor);
        summary.batches += 1;
        summary.rows += rows.length;
        summary.keptLocal += kept;
        options.onBatch?.({ table: stream.table, rows: rows.length, pulled: summary.rows, total });
      }
      // Rows above the cursor that this laptop pushed itself were skipped: step past them too.
      const { rows } = await client.query<{ newest: string | null }>(stream.newest, [options.partnerId]);
      if (rows[0].newest !== null) raiseCursor(db, stream.cursor, Number(rows[0].newest));
    }
    await client.query('COMMIT');
    await restoreDeferredIndexesInTurns(db);
    recordPullSuccess(db, summary.rows);
    return summary;
  } catch (error) {
    const failure = error instanceof RaceDeskError ? error : hubError(error, options.connection.url);
    // Failing to build them here leaves them recorded: the next opening of the database builds them.
    await restoreDeferredIndexesInTurns(db).catch(() => {});
    recordPullFailure(db, failure.message);
    throw failure;
  } finally {
    await client?.end().catch(() => {});
  }
}

/** Which hub and partner the cursors count on: pulled from another, they start again. */
function pullSource(options: PullOptions): string {
  const url = new URL(options.connection.url);
  return `${options.partnerId}@${redactUrl(`${url.protocol}//${url.host}${url.pathname}`)}`;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The hub expression giving a column's value as the laptop stores it (STRICT SQLite: TEXT,
 * INTEGER, REAL). Timestamps come back in the ISO-8601 UTC form the laptop writes (toISOString);
 * the hub's TIMESTAMP columns hold the UTC wall time the laptop sent (PostgreSQL drops the Z).
 */
function localValue(table: PushableTable, column: string, hubType: string, localType: string): string {
  const custom = table.localValues?.[column];
  if (custom) return custom;
  const value = `r.${quoted(column)}`;
  if (hubType === 'boolean') return `${value}::integer`;
  if (hubType === 'timestamp without time zone') return `pg_catalog.to_char(${value}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (hubType === 'timestamp with time zone') return `pg_catalog.to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (hubType === 'date') return `pg_catalog.to_char(${value}, 'YYYY-MM-DD')`;
  if (localType === 'REAL') return `${value}::double precision`;
  if (localType === 'TEXT' && !['text', 'character varying', 'character'].includes(hubType)) return `${value}::text`;
  return value;
}

/** Whose rows a pull asks for. COPY takes no bind parameters, so they are written into its SQL. */
interface PullScope {
  partnerId: number;
  /** This laptop: rows it pushed itself are not sent back. */
  laptop: string;
}

/** One ordered run of hub rows with a cursor of its own: a table's rows, or its tombstones. */
interface PullStream {
  table: string;
  /** Its name in hub_pull_cursors. */
  cursor: string;
  /** The rows above `cursor` in change_seq order, change_seq last, for COPY. */
  select: (cursor: number) => string;
  count: (cursor: number) => string;
  /** $1 partner. */
  newest: string;
  /** Writes a batch and moves the cursor past it, in one transaction; returns the rows that kept the laptop's version. */
  apply: (rows: CopiedRow[], inside: () => void) => number;
}

/**
 * A table's two streams: its changed rows, then its tombstones (hub_deleted_rows). A tombstone
 * whose row is back in the same snapshot (deleted, then registered again) is not sent: the row's
 * own change carried it. A deleted parent takes its children with it on the laptop as on the hub.
 */
function pullStreams(db: Db, table: PushableTable, hubColumns: HubColumns, scope: PullScope): PullStream[] {
  const hub = hubColumns.get(table.table);
  if (!hub) throw new RaceDeskError('hub_error', `The hub has no ${table.table} table: ask the hub's admin to run racedesk hub migrate.`);
  const types = localColumnTypes(db, table.table);
  const columns = pushedColumns(db, table);
  const hubType = (column: string) => {
    const type = hub.get(column);
    if (type === undefined) {
      throw new RaceDeskError(
        'hub_error',
        `The hub's ${table.table} table has no column ${column}, which this laptop stores: ask the hub's admin to run racedesk hub migrate with this RaceDesk version.`,
      );
    }
    return type;
  };
  const plan: PulledTable = {
    table,
    columns,
    numeric: columns.map((column) => types.get(column) === 'INTEGER' || types.get(column) === 'REAL'),
  };
  const name = quoted(table.table);
  const partner = integer(scope.partnerId);
  const theirs = (alias: string, cursor: number) =>
    `${alias}.timing_partner_id = ${partner} AND ${alias}.change_seq > ${integer(cursor)} AND ${alias}.changed_by IS DISTINCT FROM ${literal(scope.laptop)}`;
  const changed = (cursor: number) => `FROM public.${name} AS r WHERE ${theirs('r', cursor)}`;
  const sameKey = table.key.map((c) => `r.${quoted(c)} = (d.row_key ->> ${literal(c)})::${hubType(c)}`).join(' AND ');
  const deleted = (cursor: number) => `FROM public.hub_deleted_rows AS d
    WHERE ${theirs('d', cursor)} AND d.table_name = ${literal(table.table)}
      AND NOT EXISTS (SELECT 1 FROM public.${name} AS r WHERE r.timing_partner_id = d.timing_partner_id AND ${sameKey})`;
  const values = [...columns.map((c) => localValue(table, c, hubType(c), types.get(c)!)), 'r.change_seq'].join(', ');
  return [
    {
      table: table.table,
      cursor: table.table,
      select: (cursor) => `SELECT ${values} ${changed(cursor)} ORDER BY r.change_seq`,
      count: (cursor) => `SELECT count(*) AS n ${changed(cursor)}`,
      newest: `SELECT max(change_seq) AS newest FROM public.${name} WHERE timing_partner_id = $1`,
      apply: (rows, inside) => writePulledBatch(db, plan, rows, scope.partnerId, inside),
    },
    {
      table: table.table,
      cursor: `${table.table} deletions`,
      select: (cursor) => `SELECT d.row_key::text, d.change_seq ${deleted(cursor)} ORDER BY d.change_seq`,
      count: (cursor) => `SELECT count(*) AS n ${deleted(cursor)}`,
      newest: `SELECT max(change_seq) AS newest FROM public.hub_deleted_rows WHERE timing_partner_id = $1 AND table_name = ${literal(table.table)}`,
      apply: (rows, inside) => deletePulledRows(db, table.table, `${table.table} deletions`, rows, inside),
    },
  ];
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RaceDeskError('internal', `A pull's query needs a whole number here (got ${value}).`);
  return String(value);
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
