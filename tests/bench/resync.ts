import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { addAccount } from '../../src-main/core/accounts/accounts.ts';
import { openSession, runSync, storeSliceRows } from '../../src-main/core/sync/run-sync.ts';
import { upsertRows } from '../../src-main/core/store/upsert.ts';
import { getProvider } from '../../src-main/core/providers/registry.ts';
import type { TableRow } from '../../src-main/core/providers/types.ts';
import { demoRunSignUpCredential } from '../../src-main/simulators/runsignup.ts';
import { setRequestsPerHour, maxRequestsPerHour } from '../../src-main/core/providers/request-allowance.ts';
import { startWorker } from './workers.ts';

export interface ResyncFigures {
  rows: number;
  /** The first sync into an empty store, per row: everything is new. */
  firstUsPerRow: number;
  /** A full re-sync of the very same data, per row: nothing is new. */
  resyncUsPerRow: number;
  /** Fetching and parsing the same pages without storing them, per row: what a re-sync cannot go below. */
  fetchUsPerRow: number;
  /** Those fetched rows offered to the store again without HTTP, per row: the store's own share of a re-sync. */
  storeUsPerRow: number;
  /** Reading each of those rows by its key, per row: the least the store's share can be. */
  keyedReadUsPerRow: number;
  /** Provider rows the first sync queued for the hub, and the re-sync after it was pushed. */
  queuedFirst: number;
  queuedResync: number;
}

const perRowUs = (startNs: bigint, rows: number) => Number(process.hrtime.bigint() - startNs) / 1e3 / rows;

/*
 * A full re-sync of unchanged data: ChronoTrack's and Copernico's every sync (no incremental
 * cursor), and any `--full`. Measured through RunSignUp's simulator in its own process, as the
 * ingest figure is, with `full: true` so every page is fetched and every row offered to the store.
 */
export async function benchResync(participants: number): Promise<ResyncFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-resync-'));
  const simulator = await startWorker('tests/bench/simulator-worker.ts', [String(participants)]);
  try {
    const core = createCore({ dataDir: join(dir, 'app'), settings: createConfSettings(join(dir, 'app')), credentials: memoryCredentials() });
    await addAccount(core, { provider: 'runsignup', label: 'bench', baseUrl: simulator.firstLine, secret: { ...demoRunSignUpCredential } });
    setRequestsPerHour(core.db, 'runsignup', maxRequestsPerHour);
    const queued = () => core.db.prepare(`SELECT count(*) FROM hub_outbox WHERE table_name <> 'sync_history'`).pluck().get() as number;
    const sync = async () => {
      const summary = await runSync(core, { provider: 'runsignup', account: 'bench', full: true });
      if (summary.status !== 'success') throw new Error(`bench sync ${summary.status}`);
      return summary.outcomes.reduce((n, o) => n + o.records, 0);
    };

    let start = process.hrtime.bigint();
    const rows = await sync();
    const firstUsPerRow = perRowUs(start, rows);
    const queuedFirst = queued();
    // As if a push had sent it all: the re-sync starts from an empty outbox.
    core.db.exec(`DELETE FROM hub_outbox`);

    start = process.hrtime.bigint();
    const again = await sync();
    const resyncUsPerRow = perRowUs(start, again);
    const queuedResync = queued();

    const { session } = await openSession(core, 'runsignup', 'bench');
    start = process.hrtime.bigint();
    const fetched: TableRow[][] = [];
    for (const event of await session.listEvents()) {
      for await (const page of session.participantPages(event, { since: null, storedIdsWith: () => new Set() })) fetched.push(page.rows);
    }
    const fetchUsPerRow = perRowUs(start, fetched.flat().length);

    // The store's own share, without HTTP: the same unchanged rows offered again, in the sync's slices.
    const { table, key } = getProvider('runsignup').tables.participants;
    const slices = fetched.flatMap((rows) => Array.from({ length: Math.ceil(rows.length / storeSliceRows) }, (_, i) => rows.slice(i * storeSliceRows, (i + 1) * storeSliceRows)));
    start = process.hrtime.bigint();
    for (const slice of slices) core.db.transaction(() => upsertRows(core.db, table, key, slice))();
    const storeUsPerRow = perRowUs(start, fetched.flat().length);
    // The least a store can do per offered row: find it by its key.
    const find = core.db.prepare(`SELECT * FROM ${table} WHERE ${key.map((c) => `${c} = @${c}`).join(' AND ')}`);
    start = process.hrtime.bigint();
    for (const slice of slices) core.db.transaction(() => slice.forEach((row) => find.get(Object.fromEntries(key.map((c) => [c, row[c]])))))();
    const keyedReadUsPerRow = perRowUs(start, fetched.flat().length);
    core.close();
    return { rows, firstUsPerRow, resyncUsPerRow, fetchUsPerRow, storeUsPerRow, keyedReadUsPerRow, queuedFirst, queuedResync };
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
