import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { addAccount } from '../../src-main/core/accounts/accounts.ts';
import { runSync } from '../../src-main/core/sync/run-sync.ts';
import { openDatabase } from '../../src-main/core/store/database.ts';
import { demoRunSignUpCredential } from '../../src-main/simulators/runsignup.ts';
import { setRequestsPerHour, maxRequestsPerHour } from '../../src-main/core/providers/request-allowance.ts';
import { startWorker } from './workers.ts';
import { timeMs } from './stats.ts';

export interface IngestFigures {
  rows: number;
  pipelineRowsPerSec: number;
  rawRowsPerSec: number;
  /** The physical limit: the same rows into a table of the same columns with no index or trigger. */
  bareRowsPerSec: number;
}

/** Simulator HTTP -> parse -> local upsert, against a raw insert of the very same rows. */
export async function benchIngest(participants: number): Promise<IngestFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-ingest-'));
  const simulator = await startWorker('tests/bench/simulator-worker.ts', [String(participants)]);
  try {
    const core = createCore({ dataDir: join(dir, 'app'), settings: createConfSettings(join(dir, 'app')), credentials: memoryCredentials() });
    await addAccount(core, { provider: 'runsignup', label: 'bench', baseUrl: simulator.firstLine, secret: { ...demoRunSignUpCredential } });
    // The request allowance paces a real provider (3,600 an hour by default: 200,000 participants
    // are 200 pages, so the sync would mostly wait for tokens). The figure is the pipeline's own
    // speed, so the local simulator gets the largest allowance, as the demo's simulators do.
    setRequestsPerHour(core.db, 'runsignup', maxRequestsPerHour);
    const start = process.hrtime.bigint();
    const summary = await runSync(core, { provider: 'runsignup', account: 'bench' });
    const pipelineMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (summary.status !== 'success') throw new Error(`bench sync ${summary.status}`);
    const rows = core.db.prepare('SELECT * FROM runsignup_participants').all() as Array<Record<string, unknown>>;
    const events = core.db.prepare('SELECT * FROM runsignup_events').all() as Array<Record<string, unknown>>;
    core.close();

    const raw = openDatabase(join(dir, 'raw', 'racedesk.sqlite'));
    const insertEvent = raw.prepare(`INSERT INTO runsignup_events (${Object.keys(events[0]).join(', ')}) VALUES (${Object.keys(events[0]).map((c) => `@${c}`).join(', ')})`);
    for (const event of events) insertEvent.run(event);
    const columns = Object.keys(rows[0]);
    const insert = raw.prepare(`INSERT INTO runsignup_participants (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
    const rawMs = timeMs(() => raw.transaction(() => rows.forEach((row) => insert.run(row)))());
    raw.exec(`CREATE TABLE bare (${columns.join(', ')})`);
    const bareInsert = raw.prepare(`INSERT INTO bare (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
    const bareMs = timeMs(() => raw.transaction(() => rows.forEach((row) => bareInsert.run(row)))());
    raw.close();
    const perSec = (ms: number) => rows.length / (ms / 1000);
    return { rows: rows.length, pipelineRowsPerSec: perSec(pipelineMs), rawRowsPerSec: perSec(rawMs), bareRowsPerSec: perSec(bareMs) };
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
