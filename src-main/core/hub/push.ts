import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { connectHub, hubError, inTransaction, type HubConnection } from './client.ts';
import {
  batchDeletes,
  batchUpserts,
  completeBatch,
  laptopId,
  pendingChangeCount,
  pushedColumns,
  readBatch,
  recordPushFailure,
  setAsideRows,
  takeBatchInSteps,
  type Batch,
  type RefusedRow,
  type UpsertPayload,
} from './outbox.ts';
import { hubKeyColumns, pushableTable, pushableTables, type PushableTable } from '../store/pushable-tables.ts';
import { appliedVersion, newestHubVersion } from './migrate.ts';
import { connectedPartner } from './partners.ts';
import { letEventLoopRun } from '../event-loop.ts';

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
 * A row the hub refuses (a constraint it breaks, a value the hub's column cannot hold) is set
 * aside with the hub's reason (outbox.ts setAsideRows; the Sync page lists it) and the batch goes
 * again without it, so one bad row never holds back the rows recorded after it.
 *
 * How rows travel: see "How rows travel" below; what was measured and chosen, and why, is in
 * docs/performance-push.md. MERGE (PostgreSQL 15+) is not used: the production hub runs 13.
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

/*
 * Rows per batch (one hub transaction). Measured at 200,000 rows (docs/performance-push.md):
 * 500 spends a third of the time on per-batch round trips and outbox bookkeeping; 5,000 keeps a
 * batch's staged rows (2-4 MB) inside PostgreSQL's temp_buffers (8 MB by default) and a hub
 * transaction well under a second.
 */
export const defaultBatchSize = 5_000;

export async function pushPendingChanges(db: Db, options: PushOptions): Promise<PushSummary> {
  const summary: PushSummary = { batches: 0, rows: 0, pending: pendingChangeCount(db) };
  if (summary.pending === 0) return summary;
  let client: pg.Client | null = null;
  try {
    client = await connectHub(options.connection);
    await checkHub(client, options.partnerId);
    const hubColumns = await readHubColumns(client);
    const laptop = laptopId(db);
    const statements = new Map<string, TableStatements>();
    const hubHoldsRows = new Set<string>();
    const size = options.batchSize ?? defaultBatchSize;
    // Committed on the hub, not yet removed from the outbox: done while the hub works on the next.
    let committed: Batch | null = null;
    const confirm = async () => {
      if (!committed) return;
      const batch = committed;
      committed = null;
      const removed = completeBatch(db, batch.batchId);
      await options.checkpoint?.('laptop-done', batch);
      summary.batches += 1;
      summary.rows += batch.size;
      // Counting the outbox costs a scan of it; between batches the progress is worked out, and
      // counted once at the end (changes recorded during the push are in that count).
      summary.pending = Math.max(0, summary.pending - removed);
      options.onBatch?.({ batchId: batch.batchId, rows: batch.size, pending: summary.pending });
    };
    const first = await takeBatchInSteps(db, size);
    // Its last step ended this turn: reading the lines out waits for a turn of its own, as below.
    await letEventLoopRun();
    let loaded = loadBatch(db, first);
    while (loaded) {
      let current: Batch = loaded.batch;
      await options.checkpoint?.('batch-taken', current);
      let next: LoadedBatch | null | undefined;
      /*
       * The laptop's share of a batch (confirming the one before, taking the one after and reading
       * out its rows) runs while the hub applies this one: about a third of the push's time,
       * hidden behind the hub's work.
       */
      const prepareNext = async () => {
        if (next !== undefined) return;
        await confirm();
        await letEventLoopRun();
        const taken = await takeBatchInSteps(db, size, current.batchId);
        // Reading the batch's lines out (a few MB) is a step of its own.
        await letEventLoopRun();
        next = loadBatch(db, taken);
      };
      const applied = await applySettingAside(client, loaded, {
        db,
        partnerId: options.partnerId,
        laptop,
        hubColumns,
        statements,
        hubHoldsRows,
        checkpoint: async (step) => options.checkpoint?.(step, current),
        whileHubWorks: prepareNext,
      });
      current = applied.batch;
      await options.checkpoint?.('hub-committed', current);
      // A no-op when it ran during the upsert; otherwise it confirms the batch before this one.
      await prepareNext();
      committed = current;
      loaded = next ?? null;
    }
    await confirm();
    summary.pending = pendingChangeCount(db);
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
export async function checkHub(client: pg.Client, partnerId: number, nothingDone = 'Nothing was pushed'): Promise<void> {
  const version = await appliedVersion(client);
  if (version < newestHubVersion) {
    throw new RaceDeskError(
      'hub_error',
      `The hub is at schema version ${version} but this RaceDesk needs version ${newestHubVersion}: ask the hub's admin to run racedesk hub migrate.`,
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
        `${nothingDone}; set the hub URL to your partner's role (racedesk hub set) or correct the partner (partner.set).`,
    );
  }
}

/** Per hub table: column name -> type name as PostgreSQL spells it (format_type, no modifier). */
export type HubColumns = Map<string, Map<string, string>>;

export async function readHubColumns(client: pg.Client): Promise<HubColumns> {
  // pg_attribute + format_type rather than information_schema: the type names are usable as they
  // are in a column definition list ("character varying", "timestamp without time zone", ...).
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, pg_catalog.format_type(a.atttypid, NULL) AS data_type
     FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname OPERATOR(pg_catalog.=) 'public' AND c.relname OPERATOR(pg_catalog.=) ANY($1::pg_catalog.name[]) AND a.attnum > 0 AND NOT a.attisdropped`,
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
  db: Db;
  partnerId: number;
  laptop: string;
  hubColumns: HubColumns;
  statements: Map<string, TableStatements>;
  /** Tables where this push found the hub already holding rows of a batch: their batches go straight to the upsert. */
  hubHoldsRows: Set<string>;
  checkpoint: (step: PushStep) => Promise<void>;
  /** Laptop work to do while the hub runs this batch's biggest statement. */
  whileHubWorks: () => Promise<void>;
}

/** A batch with each table's part read out of SQLite as its hub statement takes it. */
interface LoadedBatch {
  batch: Batch;
  upserts: Map<string, UpsertPayload>;
  deletes: Map<string, Buffer>;
}

function loadBatch(db: Db, batch: Batch | null): LoadedBatch | null {
  if (!batch) return null;
  const loaded: LoadedBatch = { batch, upserts: new Map(), deletes: new Map() };
  for (const part of batch.tables) {
    if (part.deletes > 0) loaded.deletes.set(part.table, batchDeletes(db, batch.batchId, part.table));
    if (part.upserts > 0) loaded.upserts.set(part.table, batchUpserts(db, batch.batchId, part.table));
  }
  return loaded;
}

/*
 * Applies a batch; when the hub refuses rows of it, finds which (probeBatch), sets them aside and
 * applies the rest. The batch id never reached the hub's hub_applied_batches (that transaction
 * rolled back), so the smaller batch keeps it. Returns the batch as applied.
 */
async function applySettingAside(client: pg.Client, loaded: LoadedBatch, context: ApplyContext): Promise<LoadedBatch> {
  for (let attempt = loaded; ; ) {
    try {
      await applyBatch(client, attempt, context);
      return attempt;
    } catch (error) {
      if (!isRowRefusal(error)) throw error;
      const refused = await probeBatch(client, attempt, context);
      if (refused.length === 0) throw error;
      setAsideRows(context.db, attempt.batch.batchId, refused);
      attempt = loadBatch(context.db, readBatch(context.db, attempt.batch.batchId))!;
    }
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): about one row's values. */
function isRowRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * Runs the batch again in a transaction that is always rolled back, upserting its staged rows one
 * at a time, each in a subtransaction, on the hub (one round trip per table), and returns those the
 * hub refused with its reason.
 */
async function probeBatch(client: pg.Client, { batch, upserts, deletes }: LoadedBatch, context: ApplyContext): Promise<RefusedRow[]> {
  await client.query('BEGIN');
  try {
    const refused: RefusedRow[] = [];
    for (const part of batch.tables) {
      const table = pushableTable(part.table)!;
      const statements = tableStatements(table, context);
      if (part.deletes > 0) await client.query(statements.delete, [deletes.get(table.table)!, ...statements.params(context)]);
      if (part.upserts === 0) continue;
      const rows = upserts.get(table.table)!;
      await client.query(statements.stage);
      await copyIn(client, statements.copy(rows.columns), rows.csv);
      await client.query(statements.probe(client, context));
      const found = await client.query<Record<string, unknown> & { racedesk_reason: string }>(statements.refused);
      for (const { racedesk_reason: reason, ...key } of found.rows) refused.push({ table: table.table, key: key as RefusedRow['key'], reason });
    }
    return refused;
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}

/** Applies one batch in one hub transaction; returns false when the hub had applied it before. */
async function applyBatch(client: pg.Client, { batch, upserts, deletes }: LoadedBatch, context: ApplyContext): Promise<boolean> {
  return inTransaction(client, async () => {
    const marker = await client.query(
      `INSERT INTO public.hub_applied_batches (batch_id, timing_partner_id, laptop_id, row_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (timing_partner_id, batch_id) DO NOTHING RETURNING batch_id`,
      [batch.batchId, context.partnerId, context.laptop, batch.size],
    );
    if (marker.rowCount === 0) return false;
    // The hub stamps each row this batch writes with the laptop (changed_by, hub migration 27), so
    // this laptop's pull skips its own rows.
    await client.query(`SELECT pg_catalog.set_config('racedesk.laptop_id', $1, true)`, [context.laptop]);
    await context.checkpoint('hub-marked');
    // Parents before children (batch.tables is in pushable-tables order), so the hub's foreign
    // keys hold at every step.
    for (const part of batch.tables) {
      const table = pushableTable(part.table)!;
      const statements = tableStatements(table, context);
      if (part.deletes > 0) await client.query(statements.delete, [deletes.get(table.table)!, ...statements.params(context)]);
      if (part.upserts > 0) await upsertOnHub(client, upserts.get(table.table)!, statements, context, table.table);
      await context.checkpoint('hub-table-applied');
    }
    return true;
  });
}

/*
 * How rows travel. Upserts: per table and batch, the batch's CSV lines (joined inside SQLite from
 * the snapshots the outbox holds, never parsed in JavaScript) are streamed with COPY into a
 * temporary staging table of this connection, then one INSERT ... SELECT from it writes them
 * into the hub's table (a plain INSERT where the hub holds none of them, else an upsert; see
 * upsertOnHub). COPY reads CSV at a fraction of what unpacking the same rows from JSON costs the
 * hub (docs/performance-push.md). The staging table names the laptop's columns with the
 * hub column's type, so a local name that differs on the hub (sync_history.id -> local_id) is
 * simply selected under its hub name; JSON-typed hub columns are staged as text (the laptop keeps
 * JSON as TEXT) and cast with ::jsonb. It is created in the batch's own transaction (a rolled
 * back batch takes it along) and empties itself at commit. Deletes: the keys as one JSON array
 * parameter, unpacked with json_to_recordset (PostgreSQL 9.4+; the hub runs 13 or newer).
 */
interface TableStatements {
  stage: string;
  copy: (columns: string[]) => string;
  /** The staged rows as new rows: fails (unique_violation) on a row the hub already holds. */
  insert: string;
  upsert: string;
  /** A DO block upserting the staged rows one by one, noting each refused row in pg_temp.racedesk_refused. */
  probe: (client: pg.Client, context: ApplyContext) => string;
  /** The key columns of the refused staged rows, and the hub's reason (racedesk_reason). */
  refused: string;
  delete: string;
  /** The partner, and the laptop for per-laptop tables: the upsert's $1.., the delete's $2.. */
  params: (context: ApplyContext) => unknown[];
}

function tableStatements(table: PushableTable, context: ApplyContext): TableStatements {
  const known = context.statements.get(table.table);
  if (known) return known;
  const hub = context.hubColumns.get(table.table);
  if (!hub) throw new RaceDeskError('hub_error', `The hub has no ${table.table} table: ask the hub's admin to run racedesk hub migrate.`);
  const hubName = (local: string) => table.renamedOnHub?.[local] ?? local;
  const hubType = (local: string) => {
    const type = hub.get(hubName(local));
    if (type === undefined) {
      throw new RaceDeskError(
        'hub_error',
        `The hub's ${table.table} table has no column ${hubName(local)}, which this laptop stores: ask the hub's admin to run racedesk hub migrate with this RaceDesk version.`,
      );
    }
    return type;
  };
  const isJson = (type: string) => type === 'json' || type === 'jsonb';
  const local = pushedColumns(context.db, table);
  const definition = (columns: readonly string[]) => columns.map((c) => `${quoted(c)} ${isJson(hubType(c)) ? 'text' : hubType(c)}`).join(', ');
  // The staged rows hold the laptop's values (so refused rows name the local row); the hub's own, where they differ, are made here.
  const staged = (c: string) => (table.hubValues?.[c] ? `(${table.hubValues[c]('r')})` : `r.${quoted(c)}`);
  const value = (c: string) => (isJson(hubType(c)) ? `${staged(c)}::${hubType(c)}` : staged(c));

  const scope = table.perLaptop ? ['timing_partner_id', 'laptop_id'] : ['timing_partner_id'];
  const scopeValues = (first: number) => (table.perLaptop ? [`$${first}::integer`, `$${first + 1}::varchar`] : [`$${first}::integer`]);
  const names = local.map(hubName);
  const key = hubKeyColumns(table).filter((c) => c !== 'laptop_id');
  const updates = names.filter((c) => !key.includes(c)).map((c) => `${quoted(c)} = EXCLUDED.${quoted(c)}`);
  const stage = quoted(`racedesk_stage_${table.table}`);
  const insert = (where: string) => `INSERT INTO ${quoted(table.table)} (${[...scope, ...names].map(quoted).join(', ')})
      SELECT ${[...scopeValues(1), ...local.map(value)].join(', ')} FROM ${stage} AS r ${where}`;
  const upsert = (where: string) => `${insert(where)}
      ON CONFLICT (${[...scope, ...key].map(quoted).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
  const statements: TableStatements = {
    stage: `CREATE TEMPORARY TABLE IF NOT EXISTS ${stage} (${definition(local)}) ON COMMIT DELETE ROWS`,
    copy: (columns) => `COPY ${stage} (${columns.map(quoted).join(', ')}) FROM STDIN WITH (FORMAT csv)`,
    insert: insert(''),
    upsert: upsert(''),
    probe: (client, context) => {
      // A DO block takes no parameters: the partner id and the laptop id go in as literals.
      const using = [`${Math.trunc(context.partnerId)}::integer`, ...(table.perLaptop ? [`${client.escapeLiteral(context.laptop)}::varchar`] : [])];
      return `DO $probe$
DECLARE staged record; detail text;
BEGIN
  CREATE TEMPORARY TABLE IF NOT EXISTS racedesk_refused (row_ctid tid, reason text) ON COMMIT DROP;
  DELETE FROM pg_temp.racedesk_refused;
  FOR staged IN SELECT ctid AS row_ctid FROM ${stage} LOOP
    BEGIN
      EXECUTE ${client.escapeLiteral(upsert(`WHERE r.ctid = $${using.length + 1}`))} USING ${using.join(', ')}, staged.row_ctid;
    EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
      GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
      INSERT INTO racedesk_refused VALUES (staged.row_ctid, SQLERRM || coalesce(' (' || nullif(detail, '') || ')', ''));
    END;
  END LOOP;
END $probe$`;
    },
    refused: `SELECT ${table.key.map((c) => `r.${quoted(c)}`).join(', ')}, f.reason AS racedesk_reason
      FROM ${stage} AS r JOIN pg_temp.racedesk_refused AS f ON f.row_ctid OPERATOR(pg_catalog.=) r.ctid`,
    delete: `DELETE FROM ${quoted(table.table)} WHERE ${scope.map((c, i) => `${quoted(c)} = ${scopeValues(2)[i]}`).join(' AND ')}
      AND (${key.map(quoted).join(', ')}) IN (SELECT ${table.key.map(staged).join(', ')} FROM json_to_recordset($1::json) AS r(${definition(table.key)}))`,
    params: (context) => (table.perLaptop ? [context.partnerId, context.laptop] : [context.partnerId]),
  };
  context.statements.set(table.table, statements);
  return statements;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function upsertOnHub(client: pg.Client, rows: UpsertPayload, statements: TableStatements, context: ApplyContext, table: string): Promise<void> {
  await client.query(statements.stage).catch((error: { code?: string }) => {
    if (error.code !== '42501') throw error;
    throw new RaceDeskError(
      'hub_error',
      "The hub login may not create temporary tables, which the push stages each batch's rows in: ask the hub's admin to run " +
        'GRANT TEMPORARY ON DATABASE <the hub database> TO racedesk_partner. Your changes stay queued.',
    );
  });
  await copyIn(client, statements.copy(rows.columns), rows.csv);
  const params = statements.params(context);
  /*
   * A batch of rows the hub does not have yet (a first push, new registrations) goes in as a plain
   * INSERT: ON CONFLICT's speculative insertion costs the hub about a tenth more per row
   * (docs/performance-push.md). Only the hub can tell whether it holds a row (another laptop of
   * the partner may have sent it), so the INSERT runs under a savepoint: the first row the hub
   * already holds undoes it, and the same staged rows go through the upsert instead, within the
   * batch's transaction (the batch applies once, whichever way). After one such miss the table's
   * later batches in this push go straight to the upsert (a re-sync sends rows the hub holds).
   * COPY straight into the hub's table is not possible: PostgreSQL refuses COPY FROM into a table
   * under row-level security.
   */
  if (!context.hubHoldsRows.has(table)) {
    await client.query('SAVEPOINT racedesk_new_rows');
    try {
      await whileRunning(client, client.query(statements.insert, params), context.whileHubWorks);
      await client.query('RELEASE SAVEPOINT racedesk_new_rows');
      return;
    } catch (error) {
      if ((error as { code?: unknown })?.code !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT racedesk_new_rows');
      context.hubHoldsRows.add(table);
    }
  }
  await whileRunning(client, client.query(statements.upsert, params), context.whileHubWorks);
}

/** Streams `data` into COPY ... FROM STDIN; resolves once the hub has taken every row. */
async function copyIn(client: pg.Client, sql: string, data: Buffer): Promise<void> {
  const stream = client.query(copyFrom(sql));
  await new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
    stream.end(data);
  });
}

/**
 * Awaits a query the client has just sent, running `work` meanwhile. The query's bytes are
 * handed to the operating system first: `work` is synchronous SQLite work that holds the event
 * loop, and a batch (megabytes) left in the socket's buffer would keep the hub waiting for it.
 */
async function whileRunning(client: pg.Client, query: Promise<unknown>, work: () => Promise<void>): Promise<void> {
  // Caught at once: a failure that arrives while `work` runs must not go unhandled meanwhile.
  const outcome = query.then(
    () => null,
    (error: unknown) => ({ error }),
  );
  let workFailure: { error: unknown } | null = null;
  try {
    await flushed(client.connection.stream);
    await work();
  } catch (error) {
    workFailure = { error };
  }
  const failure = (await outcome) ?? workFailure;
  if (failure) throw failure.error;
}

/**
 * Resolves once the socket has handed every queued byte to the operating system. 'drain' comes
 * only after a write that filled the buffer; a TLS socket also holds small writes for a moment
 * without it, so below the high-water mark the buffer is looked at again a millisecond later.
 */
async function flushed(stream: Duplex): Promise<void> {
  while (stream.writableLength > 0 && !stream.destroyed) {
    await new Promise<void>((resolve) => {
      if (!stream.writableNeedDrain) {
        setTimeout(resolve, 1);
        return;
      }
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.once('drain', done);
      stream.once('close', done);
    });
  }
}
