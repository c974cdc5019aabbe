import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { addAccount } from '../../src-main/core/accounts/accounts.ts';
import { openSession, runSync, storeSliceRows } from '../../src-main/core/sync/run-sync.ts';
import { openDatabase } from '../../src-main/core/store/database.ts';
import { migrations } from '../../src-main/core/store/migrations/index.ts';
import { upsertRows } from '../../src-main/core/store/upsert.ts';
import { getProvider } from '../../src-main/core/providers/registry.ts';
import type { TableRow } from '../../src-main/core/providers/types.ts';
import { demoRunSignUpCredential } from '../../src-main/simulators/runsignup.ts';
import { setRequestsPerHour, maxRequestsPerHour } from '../../src-main/core/providers/request-allowance.ts';
import { startWorker } from './workers.ts';
import { timeMs } from './stats.ts';

export interface IngestFigures {
  rows: number;
  /** Simulator HTTP -> parse -> store -> searchable, the whole sync. */
  pipelineRowsPerSec: number;
  /** The same rows through the store's write path (upsertRows, in the sync's slices), without HTTP. */
  storeRowsPerSec: number;
  /** The same, on a store migrated to before 0200 (the search-index triggers): the like-for-like baseline. */
  triggerStoreRowsPerSec: number;
  /** CPU time of the process per row on those two write paths (less sensitive to a loaded machine than wall time). */
  storeCpuUsPerRow: number;
  triggerStoreCpuUsPerRow: number;
  /** The same rows inserted into runsignup_participants as it was before migration 0200: per-row search-index triggers. */
  triggerRowsPerSec: number;
  /** The physical limit: the same rows into a table of the same columns with no index or trigger. */
  bareRowsPerSec: number;
}

async function benchCore(dir: string, simulatorUrl: string): Promise<Core> {
  const core = createCore({ dataDir: dir, settings: createConfSettings(dir), credentials: memoryCredentials() });
  await addAccount(core, { provider: 'runsignup', label: 'bench', baseUrl: simulatorUrl, secret: { ...demoRunSignUpCredential } });
  // The request allowance paces a real provider (3,600 an hour by default: 200,000 participants
  // are 200 pages, so the sync would mostly wait for tokens). The figure is the pipeline's own
  // speed, so the local simulator gets the largest allowance, as the demo's simulators do.
  setRequestsPerHour(core.db, 'runsignup', maxRequestsPerHour);
  return core;
}

async function syncMs(core: Core): Promise<number> {
  const start = process.hrtime.bigint();
  const summary = await runSync(core, { provider: 'runsignup', account: 'bench' });
  if (summary.status !== 'success') throw new Error(`bench sync ${summary.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Simulator HTTP -> parse -> local upsert and search index, beside inserts of the very same rows. */
export async function benchIngest(participants: number): Promise<IngestFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-ingest-'));
  const simulator = await startWorker('tests/bench/simulator-worker.ts', [String(participants)]);
  try {
    const core = await benchCore(join(dir, 'app'), simulator.firstLine);
    const pipelineMs = await syncMs(core);
    const rows = core.db.prepare('SELECT * FROM runsignup_participants').all() as TableRow[];
    const events = core.db.prepare('SELECT * FROM runsignup_events').all() as Array<Record<string, unknown>>;
    core.close();
    const columns = Object.keys(rows[0]);
    const insertSql = (table: string) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
    const withEvents = (db: ReturnType<typeof openDatabase>) => {
      const insertEvent = db.prepare(`INSERT INTO runsignup_events (${Object.keys(events[0]).join(', ')}) VALUES (${Object.keys(events[0]).map((c) => `@${c}`).join(', ')})`);
      for (const event of events) insertEvent.run(event);
      return db;
    };

    // The store's write path alone: the stored rows offered to a fresh store as the sync offers them.
    const { table, key, fetchStamps } = getProvider('runsignup').tables.participants;
    const slices = Array.from({ length: Math.ceil(rows.length / storeSliceRows) }, (_, i) => rows.slice(i * storeSliceRows, (i + 1) * storeSliceRows));
    const storePath = (name: string, list = migrations) => {
      const store = withEvents(openDatabase(join(dir, name, 'racedesk.sqlite'), { migrations: list }));
      const cpu = process.cpuUsage();
      const ms = timeMs(() => slices.forEach((slice) => store.transaction(() => upsertRows(store, table, key, slice, fetchStamps))()));
      const used = process.cpuUsage(cpu);
      store.close();
      return { ms, cpuUsPerRow: (used.user + used.system) / rows.length };
    };
    const before0200 = migrations.filter((m) => m.version < 200);
    const store = storePath('store');
    const triggerStore = storePath('trigger-store', before0200);

    // Today's baseline before this change: a raw insert through the search-index triggers.
    const triggers = withEvents(openDatabase(join(dir, 'triggers', 'racedesk.sqlite'), { migrations: before0200 }));
    const triggerInsert = triggers.prepare(insertSql('runsignup_participants'));
    const triggerMs = timeMs(() => triggers.transaction(() => rows.forEach((row) => triggerInsert.run(row)))());
    triggers.exec(`CREATE TABLE bare (${columns.join(', ')})`);
    const bareInsert = triggers.prepare(insertSql('bare'));
    const bareMs = timeMs(() => triggers.transaction(() => rows.forEach((row) => bareInsert.run(row)))());
    triggers.close();
    const perSec = (ms: number) => rows.length / (ms / 1000);
    return {
      rows: rows.length,
      pipelineRowsPerSec: perSec(pipelineMs),
      storeRowsPerSec: perSec(store.ms),
      triggerStoreRowsPerSec: perSec(triggerStore.ms),
      storeCpuUsPerRow: store.cpuUsPerRow,
      triggerStoreCpuUsPerRow: triggerStore.cpuUsPerRow,
      triggerRowsPerSec: perSec(triggerMs),
      bareRowsPerSec: perSec(bareMs),
    };
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RaceFigures {
  rows: number;
  /** A first sync of the race from the local simulator until every runner is searchable. */
  searchableMs: number;
  /** Fetching and parsing the same pages without storing them. */
  fetchMs: number;
}

/** A race from a local simulator to searchable, beside fetching its pages alone (the same session, the same pages). */
export async function benchRace(participants: number): Promise<RaceFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-race-'));
  const simulator = await startWorker('tests/bench/simulator-worker.ts', [String(participants)]);
  try {
    const core = await benchCore(join(dir, 'app'), simulator.firstLine);
    const { session } = await openSession(core, 'runsignup', 'bench');
    let fetched = 0;
    const fetchPages = async () => {
      fetched = 0;
      const start = process.hrtime.bigint();
      for (const event of await session.listEvents()) {
        for await (const page of session.participantPages(event, { since: null, storedIdsWith: () => new Set() })) fetched += page.rows.length;
      }
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    // Fetched before and after the sync, the faster counting: the baseline is the least fetching costs.
    const fetchedBefore = await fetchPages();
    const searchableMs = await syncMs(core);
    const fetchMs = Math.min(fetchedBefore, await fetchPages());
    const indexed = core.db.prepare(`SELECT count(*) FROM participant_search WHERE provider = 'runsignup'`).pluck().get() as number;
    core.close();
    if (indexed !== fetched) throw new Error(`bench race: ${indexed} runners searchable of ${fetched} fetched`);
    return { rows: fetched, searchableMs, fetchMs };
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
