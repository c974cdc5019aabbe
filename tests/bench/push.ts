import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { pushPendingChanges } from '../../src-main/core/hub/push.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { fillStore } from './synthetic.ts';
import { median } from './stats.ts';
import { memoryCredentials } from './memory-credentials.ts';

export interface PushFigures {
  rows: number;
  /** Each figure is the median of this many rounds. */
  rounds: number;
  pushRowsPerSec: number;
  /** psql \copy of the same rows into the hub's runsignup_participants (same indexes and foreign key): the target's baseline. */
  copyRowsPerSec: number;
  /** psql \copy of the same rows into a bare table without indexes or constraints (the first baseline, for reference). */
  bareCopyRowsPerSec: number;
}

/**
 * Rounds of each measurement; each figure is the median of its rounds. The machine is shared and
 * one slow moment would otherwise decide the ratio: push and baseline alternate, each on a fresh
 * hub database and the push from the same laptop database every round.
 */
const rounds = 3;

/** Our push (outbox -> batched upserts as the partner's role, RLS on) against psql \copy of the same rows into the same hub table. */
export async function benchPush(participants: number): Promise<PushFigures> {
  if (spawnSync('sh', ['-c', 'command -v psql']).status !== 0) {
    throw new Error('the push baseline needs psql (Debian: apt-get install -y postgresql-client)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-push-'));
  const postgres = await startTestPostgres();
  try {
    const freshHub = async () => {
      const adminUrl = await postgres.createDatabase();
      await migrateHub({ url: adminUrl });
      return { adminUrl, partner: await addPartner({ url: adminUrl }, 'Bench Timing') };
    };
    const { partner: firstPartner } = await freshHub();
    const partnerId = firstPartner.timing_partner_id;

    // The same synthetic rows, written the way a sync writes them: through upsertRows, so each
    // lands in the outbox in its own transaction's company.
    const scratch = openDatabase(join(dir, 'scratch', 'racedesk.sqlite'));
    // fillStore puts 60% of its rows in RunSignUp, the provider pushed here.
    fillStore(scratch, { participants: Math.ceil(participants / 0.6), runsignupEvents: 8, chronotrackEvents: 1 });
    const events = scratch.prepare('SELECT * FROM runsignup_events').all() as Array<Record<string, string | number | null>>;
    const rows = scratch.prepare('SELECT * FROM runsignup_participants').all() as Array<Record<string, string | number | null>>;
    scratch.close();
    const laptopDir = join(dir, 'laptop');
    const core = createCore({ dataDir: laptopDir, settings: createConfSettings(laptopDir), credentials: memoryCredentials() });
    setPartner(core, { id: partnerId, name: 'Bench Timing' });
    const withPartner = (row: Record<string, string | number | null>): Record<string, string | number | null> => {
      const { id: _localId, ...rest } = row;
      return { ...rest, timing_partner_id: partnerId };
    };
    core.db.transaction(() => {
      upsertRows(core.db, 'runsignup_events', ['event_id'], events.map(withPartner));
      upsertRows(core.db, 'runsignup_participants', ['registration_id'], rows.map(withPartner));
    })();
    // Closing the last connection folds the WAL into the file, so a copy of the folder is the laptop.
    core.close();

    /*
     * Baselines: psql \copy of the same participant rows (a) into the hub's own table, in a fresh
     * hub database migrated like the pushed one: the same indexes (five on
     * runsignup_participants), foreign key and defaults, as the superuser (COPY FROM refuses a
     * role under row-level security); and (b) into a bare heap table of the same columns (no
     * index, no constraint), which is what this benchmark first compared with. (a) is the target's
     * baseline: no way of writing these rows into the hub's table, COPY itself included, comes
     * near (b), because most of the hub's work is maintaining that table's indexes and foreign
     * key (measured in docs/performance-push.md).
     */
    const columns = Object.keys(withPartner(rows[0]));
    const csvPath = join(dir, 'rows.csv');
    writeFileSync(csvPath, rows.map((row) => columns.map((c) => csvCell(withPartner(row)[c])).join(',')).join('\n'));

    const pushMs: number[] = [];
    const hubTableCopyMs: number[] = [];
    const bareCopyMs: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const roundDir = join(dir, `round-${round}`);
      cpSync(laptopDir, roundDir, { recursive: true });
      const hub = await freshHub();
      if (hub.partner.timing_partner_id !== partnerId) throw new Error('a fresh hub numbered its partner differently');
      const laptop = createCore({ dataDir: roundDir, settings: createConfSettings(roundDir), credentials: memoryCredentials() });
      try {
        const loginUrl = new URL(hub.adminUrl);
        loginUrl.username = hub.partner.role;
        loginUrl.password = '';
        const start = process.hrtime.bigint();
        const summary = await pushPendingChanges(laptop.db, { connection: { url: loginUrl.toString(), password: hub.partner.password }, partnerId });
        pushMs.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (summary.pending !== 0) throw new Error(`push left ${summary.pending} changes`);
      } finally {
        laptop.close();
        rmSync(roundDir, { recursive: true, force: true });
      }

      const baseline = await freshHub();
      if (baseline.partner.timing_partner_id !== partnerId) throw new Error('the baseline hub numbered its partner differently');
      hubTableCopyMs.push(await psqlCopy(baseline.adminUrl, 'runsignup_participants', columns, csvPath));
      const admin = new pg.Client({ connectionString: baseline.adminUrl });
      await admin.connect();
      await admin.query('CREATE TABLE copy_baseline (LIKE runsignup_participants INCLUDING DEFAULTS)');
      await admin.end();
      bareCopyMs.push(await psqlCopy(baseline.adminUrl, 'copy_baseline', columns, csvPath));
    }

    const pushedRows = rows.length + events.length;
    return {
      rows: pushedRows,
      rounds,
      pushRowsPerSec: pushedRows / (median(pushMs) / 1000),
      copyRowsPerSec: rows.length / (median(hubTableCopyMs) / 1000),
      bareCopyRowsPerSec: rows.length / (median(bareCopyMs) / 1000),
    };
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function psqlCopy(url: string, table: string, columns: string[], csvPath: string): Promise<number> {
  const start = process.hrtime.bigint();
  const psql = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy ${table} (${columns.join(', ')}) FROM '${csvPath}' WITH (FORMAT csv)`], { stdio: 'inherit' });
  const [code] = (await once(psql, 'exit')) as [number];
  if (code !== 0) throw new Error(`psql \\copy exited ${code}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text;
}
