import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { pushPendingChanges } from '../../src-main/core/hub/push.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { median } from './stats.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { freshHub, partnerLogin, requirePsql, syntheticLaptop, timedPsql } from './hub-bench.ts';

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
  requirePsql('push');
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-push-'));
  const postgres = await startTestPostgres();
  try {
    const partnerId = (await freshHub(postgres)).partner.timing_partner_id;
    const laptop = syntheticLaptop(dir, participants, partnerId);
    const rows = laptop.participants;

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
    const columns = Object.keys(rows[0]);
    const csvPath = join(dir, 'rows.csv');
    writeFileSync(csvPath, rows.map((row) => columns.map((c) => csvCell(row[c])).join(',')).join('\n'));

    const pushMs: number[] = [];
    const hubTableCopyMs: number[] = [];
    const bareCopyMs: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const roundDir = join(dir, `round-${round}`);
      cpSync(laptop.dir, roundDir, { recursive: true });
      const hub = await freshHub(postgres);
      if (hub.partner.timing_partner_id !== partnerId) throw new Error('a fresh hub numbered its partner differently');
      const pushing = createCore({ dataDir: roundDir, settings: createConfSettings(roundDir), credentials: memoryCredentials() });
      try {
        const start = process.hrtime.bigint();
        const summary = await pushPendingChanges(pushing.db, { connection: partnerLogin(hub.adminUrl, hub.partner), partnerId });
        pushMs.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (summary.pending !== 0) throw new Error(`push left ${summary.pending} changes`);
      } finally {
        pushing.close();
        rmSync(roundDir, { recursive: true, force: true });
      }

      const baseline = await freshHub(postgres);
      if (baseline.partner.timing_partner_id !== partnerId) throw new Error('the baseline hub numbered its partner differently');
      hubTableCopyMs.push(await psqlCopy(baseline.adminUrl, 'runsignup_participants', columns, csvPath));
      const admin = new pg.Client({ connectionString: baseline.adminUrl });
      await admin.connect();
      await admin.query('CREATE TABLE copy_baseline (LIKE runsignup_participants INCLUDING DEFAULTS INCLUDING IDENTITY)');
      await admin.end();
      bareCopyMs.push(await psqlCopy(baseline.adminUrl, 'copy_baseline', columns, csvPath));
    }

    const pushedRows = rows.length + laptop.events.length;
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

function psqlCopy(url: string, table: string, columns: string[], csvPath: string): Promise<number> {
  return timedPsql(url, [`\\copy ${table} (${columns.join(', ')}) FROM '${csvPath}' WITH (FORMAT csv)`]);
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text;
}
