import type pg from 'pg';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { connectHub, hubError, inTransaction, type HubConnection } from './client.ts';
import { completeBatch, laptopId, pendingChangeCount, recordPushFailure, takeBatch, type Batch, type BatchEntry, type RowKey } from './outbox.ts';
import { hubKeyColumns, pushableTables, type PushableTable } from './pushable-tables.ts';
import { appliedVersion, newestHubVersion } from './migrate.ts';
import { connectedPartner } from './partners.ts';

/*
 * Drains the local outbox into the hub, one batch per hub transaction.
 *
 * Exactly-once: each batch has an id fixed on the laptop before it is sent (outbox.ts). The hub
 * transaction first inserts that id into hub_applied_batches (ON CONFLICT DO NOTHING): if it was
 * already there, the batch was applied before and the transaction changes nothing; if another
 * push of the same batch is running, PostgreSQL makes this one wait for it. The laptop removes
 * the batch from its outbox only after the hub committed. Whatever instant the app dies or the
 * connection breaks, the next push resends the same batch and the hub ends equal to the laptop.
 *
 * How rows travel: per table and batch, one INSERT ... SELECT FROM json_populate_recordset($1)
 * ON CONFLICT (partner, natural key) DO UPDATE, with the rows as one JSON parameter; PostgreSQL
 * converts each field to the hub column's type. Measured here (PostgreSQL 15 on the same
 * machine, 5,000 runsignup_participants rows upserted in 10 transactions of 500, three runs):
 * json_populate_recordset 0.46-0.51 s, multi-row VALUES with bound parameters 0.94-1.14 s (28
 * parameters a row to bind and type-check). COPY into a staging table and then INSERT ... SELECT
 * would need pg-copy-streams, which is not a dependency, and adds a statement per table and batch;
 * with batches of hundreds of rows the JSON statement is already one round trip, so we use it.
 * MERGE (PostgreSQL 15+) is not used: the production hub runs 13.
 */
export interface PushOptions {
  connection: HubConnection;
  /** The partner this laptop is set up for (settings.partner.id). */
  partnerId: number;
  batchSize?: number;
  onBatch?: (progress: { batchId: string; rows: number; pending: number }) => void;
  /**
   * Test hook, called at each step of a batch's life (taken, inside the hub transaction,
   * committed on the hub, done on the laptop): the crash tests stop the push at each of them.
   */
  checkpoint?: (step: PushStep, batch: Batch) => Promise<void> | void;
}

export type PushStep = 'batch-taken' | 'hub-marked' | 'hub-table-applied' | 'hub-committed' | 'laptop-done';

export interface PushSummary {
  batches: number;
  rows: number;
  pending: number;
}

export const defaultBatchSize = 500;

export async function pushPendingChanges(db: Db, options: PushOptions): Promise<PushSummary> {
  const summary: PushSummary = { batches: 0, rows: 0, pending: pendingChangeCount(db) };
  if (summary.pending === 0) return summary;
  let client: pg.Client | null = null;
  try {
    client = await connectHub(options.connection);
    await checkHub(client, options.partnerId);
    const hubColumns = await readHubColumns(client);
    const laptop = laptopId(db);
    for (;;) {
      const batch = takeBatch(db, options.batchSize ?? defaultBatchSize);
      if (!batch) break;
      const checkpoint = async (step: PushStep) => options.checkpoint?.(step, batch);
      await checkpoint('batch-taken');
      await applyBatch(client, batch, { partnerId: options.partnerId, laptop, hubColumns, checkpoint });
      await checkpoint('hub-committed');
      completeBatch(db, batch.batchId);
      await checkpoint('laptop-done');
      summary.batches += 1;
      summary.rows += batch.entries.length;
      summary.pending = pendingChangeCount(db);
      options.onBatch?.({ batchId: batch.batchId, rows: batch.entries.length, pending: summary.pending });
    }
    return summary;
  } catch (error) {
    const failure = hubError(error, options.connection.url);
    recordPushFailure(db, failure.message);
    throw failure;
  } finally {
    await client?.end().catch(() => {});
  }
}

/** Refuses a hub that is not migrated, and a login that is not this laptop's partner. */
async function checkHub(client: pg.Client, partnerId: number): Promise<void> {
  const version = await appliedVersion(client);
  if (version < newestHubVersion) {
    throw new RaceDeskError(
      'hub_error',
      `The hub is at schema version ${version} but this RaceDesk pushes to version ${newestHubVersion}: ask the hub's admin to run racedesk hub migrate.`,
    );
  }
  const connected = await connectedPartner(client);
  if (connected.partnerId === null) {
    throw new RaceDeskError(
      'auth_failed',
      `The hub login "${connected.role}" is not a timing partner's login. Use the role that racedesk hub add-partner printed for your company.`,
    );
  }
  if (connected.partnerId !== partnerId) {
    throw new RaceDeskError(
      'auth_failed',
      `The hub login "${connected.role}" belongs to timing partner ${connected.partnerId}, but this laptop is set up for timing partner ${partnerId}. ` +
        'Nothing was pushed; set the hub URL to your partner\'s role (racedesk hub set) or correct the partner (partner.set).',
    );
  }
}

type HubColumns = Map<string, Map<string, string>>;

async function readHubColumns(client: pg.Client): Promise<HubColumns> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = ANY($1)`,
    [pushableTables.map((t) => t.table)],
  );
  const columns: HubColumns = new Map();
  for (const row of rows) {
    if (!columns.has(row.table_name)) columns.set(row.table_name, new Map());
    columns.get(row.table_name)!.set(row.column_name, row.data_type);
  }
  return columns;
}

interface ApplyContext {
  partnerId: number;
  laptop: string;
  hubColumns: HubColumns;
  checkpoint: (step: PushStep) => Promise<void>;
}

/** Applies one batch in one hub transaction; returns false when the hub had applied it before. */
async function applyBatch(client: pg.Client, batch: Batch, context: ApplyContext): Promise<boolean> {
  return inTransaction(client, async () => {
    const marker = await client.query(
      `INSERT INTO hub_applied_batches (batch_id, timing_partner_id, laptop_id, row_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id`,
      [batch.batchId, context.partnerId, context.laptop, batch.entries.length],
    );
    if (marker.rowCount === 0) return false;
    await context.checkpoint('hub-marked');
    // Parents before children (pushable-tables order), so the hub's foreign keys hold at every step.
    for (const table of pushableTables) {
      const entries = batch.entries.filter((e) => e.table === table.table);
      if (entries.length === 0) continue;
      const upserts = entries.filter((e) => e.row !== null);
      const deletes = entries.filter((e) => e.row === null);
      if (deletes.length > 0) await deleteOnHub(client, table, deletes, context);
      if (upserts.length > 0) await upsertOnHub(client, table, upserts, context);
      await context.checkpoint('hub-table-applied');
    }
    return true;
  });
}

function hubRow(table: PushableTable, entry: BatchEntry, source: RowKey, context: ApplyContext, columns: Map<string, string>): RowKey {
  const row: RowKey = {};
  for (const [localColumn, value] of Object.entries(source)) {
    if (table.localOnlyColumns.includes(localColumn) || localColumn === 'timing_partner_id') continue;
    const column = table.renamedOnHub?.[localColumn] ?? localColumn;
    const type = columns.get(column);
    if (type === undefined) {
      throw new RaceDeskError(
        'hub_error',
        `The hub's ${table.table} table has no column ${column}, which this laptop stores: ask the hub's admin to run racedesk hub migrate with this RaceDesk version.`,
      );
    }
    row[column] = (type === 'jsonb' || type === 'json') && typeof value === 'string' ? parseJson(value, table, entry, column) : value;
  }
  if (table.perLaptop) row.laptop_id = context.laptop;
  return row;
}

function parseJson(text: string, table: PushableTable, entry: BatchEntry, column: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RaceDeskError('hub_error', `${table.table} row ${JSON.stringify(entry.key)} holds invalid JSON in ${column}; fix or re-sync that row.`);
  }
}

async function upsertOnHub(client: pg.Client, table: PushableTable, entries: BatchEntry[], context: ApplyContext): Promise<void> {
  const columns = context.hubColumns.get(table.table);
  if (!columns) throw new RaceDeskError('hub_error', `The hub has no ${table.table} table: ask the hub's admin to run racedesk hub migrate.`);
  const rows = entries.map((entry) => hubRow(table, entry, entry.row!, context, columns));
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const key = hubKeyColumns(table);
  const updates = names.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  await upsertStatement(client, table, () =>
    client.query(
      `INSERT INTO ${table.table} (timing_partner_id, ${names.join(', ')})
       SELECT $2::integer, ${names.join(', ')} FROM json_populate_recordset(NULL::${table.table}, $1::json)
       ON CONFLICT (timing_partner_id, ${key.join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
      [JSON.stringify(rows), context.partnerId],
    ),
  );
}

/*
 * The seed keeps its global primary keys (ct_events.event_id, ct_participants.entry_id, ...): if
 * another partner already holds a row with the same provider id, the hub refuses ours. Say so.
 */
async function upsertStatement(client: pg.Client, table: PushableTable, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string; detail?: string };
    if (pgError.code === '23505') {
      throw new RaceDeskError(
        'conflict',
        `The hub refused a ${table.table} row: ${pgError.detail ?? 'its key is taken'} (constraint ${pgError.constraint}). ` +
          "Another timing partner already holds that provider record on the hub; ask the hub's admin to resolve it. Your changes stay queued.",
      );
    }
    throw error;
  }
}

async function deleteOnHub(client: pg.Client, table: PushableTable, entries: BatchEntry[], context: ApplyContext): Promise<void> {
  const key = hubKeyColumns(table);
  const keys = entries.map((entry) => {
    const row: RowKey = {};
    for (const [column, value] of Object.entries(entry.key)) row[table.renamedOnHub?.[column] ?? column] = value;
    if (table.perLaptop) row.laptop_id = context.laptop;
    return row;
  });
  await client.query(
    `DELETE FROM ${table.table} WHERE timing_partner_id = $2
     AND (${key.join(', ')}) IN (SELECT ${key.join(', ')} FROM json_populate_recordset(NULL::${table.table}, $1::json))`,
    [JSON.stringify(keys), context.partnerId],
  );
}
