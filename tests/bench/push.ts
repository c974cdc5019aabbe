import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { setPartner } from '../../src-main/core/accounts/accounts.ts';
import { openDatabase } from '../../src-main/core/store/database.ts';
import { upsertRows } from '../../src-main/core/store/upsert.ts';
import { migrateHub } from '../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../src-main/core/hub/partners.ts';
import { setHub } from '../../src-main/core/hub/hub-settings.ts';
import { pushPendingChanges } from '../../src-main/core/hub/push.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { fillStore } from './synthetic.ts';
import { memoryCredentials } from './memory-credentials.ts';

export interface PushFigures {
  rows: number;
  pushRowsPerSec: number;
  copyRowsPerSec: number;
}

/** Our push (outbox -> batched upserts as the partner's role, RLS on) against psql \copy of the same rows. */
export async function benchPush(participants: number): Promise<PushFigures> {
  if (spawnSync('sh', ['-c', 'command -v psql']).status !== 0) {
    throw new Error('the push baseline needs psql (Debian: apt-get install -y postgresql-client)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-push-'));
  const postgres = await startTestPostgres();
  try {
    const adminUrl = await postgres.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Bench Timing');

    // The same synthetic rows, written the way a sync writes them: through upsertRows, so each
    // lands in the outbox in its own transaction's company.
    const scratch = openDatabase(join(dir, 'scratch', 'racedesk.sqlite'));
    // fillStore puts 60% of its rows in RunSignUp, the provider pushed here.
    fillStore(scratch, { participants: Math.ceil(participants / 0.6), runsignupEvents: 8, chronotrackEvents: 1 });
    const events = scratch.prepare('SELECT * FROM runsignup_events').all() as Array<Record<string, string | number | null>>;
    const rows = scratch.prepare('SELECT * FROM runsignup_participants').all() as Array<Record<string, string | number | null>>;
    scratch.close();
    const core = createCore({ dataDir: join(dir, 'app'), settings: createConfSettings(join(dir, 'app')), credentials: memoryCredentials() });
    setPartner(core, { id: partner.timing_partner_id, name: 'Bench Timing' });
    const withPartner = (row: Record<string, string | number | null>): Record<string, string | number | null> => {
      const { id: _localId, ...rest } = row;
      return { ...rest, timing_partner_id: partner.timing_partner_id };
    };
    core.db.transaction(() => {
      upsertRows(core.db, 'runsignup_events', ['event_id'], events.map(withPartner));
      upsertRows(core.db, 'runsignup_participants', ['registration_id'], rows.map(withPartner));
    })();
    const hubUrl = new URL(adminUrl);
    hubUrl.username = partner.role;
    hubUrl.password = partner.password;
    setHub(core, { url: hubUrl.toString() });

    const start = process.hrtime.bigint();
    const summary = await pushPendingChanges(core.db, { connection: { url: hubUrl.toString().replace(/:[^:@/]*@/, '@'), password: partner.password }, partnerId: partner.timing_partner_id });
    const pushMs = Number(process.hrtime.bigint() - start) / 1e6;
    core.close();
    if (summary.pending !== 0) throw new Error(`push left ${summary.pending} changes`);

    // Baseline: psql \copy of the same participant rows into a plain table of the same shape.
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('CREATE TABLE copy_baseline (LIKE runsignup_participants INCLUDING DEFAULTS)');
    await admin.end();
    const columns = Object.keys(withPartner(rows[0]));
    const csvPath = join(dir, 'rows.csv');
    writeFileSync(csvPath, rows.map((row) => columns.map((c) => csvCell(withPartner(row)[c])).join(',')).join('\n'));
    const copyStart = process.hrtime.bigint();
    const psql = spawn('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy copy_baseline (${columns.join(', ')}) FROM '${csvPath}' WITH (FORMAT csv)`], { stdio: 'inherit' });
    const [code] = (await once(psql, 'exit')) as [number];
    const copyMs = Number(process.hrtime.bigint() - copyStart) / 1e6;
    if (code !== 0) throw new Error(`psql \\copy exited ${code}`);

    const pushedRows = rows.length + events.length;
    return { rows: pushedRows, pushRowsPerSec: pushedRows / (pushMs / 1000), copyRowsPerSec: rows.length / (copyMs / 1000) };
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text;
}
