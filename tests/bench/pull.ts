import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore, type Core } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { dispatch } from '../../src-main/core/api/dispatch.ts';
import { pushPendingChanges } from '../../src-main/core/hub/push.ts';
import { pushedColumns } from '../../src-main/core/hub/outbox.ts';
import { pushableTable } from '../../src-main/core/store/pushable-tables.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import type { Db } from '../../src-main/core/store/database.ts';
import { median, timeMs } from './stats.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { benchPartnerName, freshHub, partnerLogin, requirePsql, syntheticLaptop, timedPsql } from './hub-bench.ts';

export interface PullFigures {
  rows: number;
  /** Each figure is the median of this many rounds. */
  rounds: number;
  pullRowsPerSec: number;
  /** CPU time of this process (the pull's side: reading, parsing, SQLite) per pulled row. */
  pullCpuUsPerRow: number;
  /** psql \copy (SELECT the same columns of the same rows) TO STDOUT, discarded, as the partner's login. */
  copyRowsPerSec: number;
  /** The same rows, as the pull stored them, inserted into bare tables (no key, index, constraint or trigger). */
  bareInsertRowsPerSec: number;
}

/** As in push.ts: pull and baseline alternate, so one slow moment of the shared machine does not decide the ratio. */
const rounds = 3;

const pulledHere = ['runsignup_events', 'runsignup_participants'];

/**
 * `hub.pull` of `participants` RunSignUp registrations (and their events) into a fresh laptop
 * data folder, against psql reading the same rows and columns out of the same hub with COPY.
 * The hub is filled once, by the real push from another laptop, so every row carries the
 * change_seq and changed_by a pull reads.
 */
export async function benchPull(participants: number): Promise<PullFigures> {
  requirePsql('pull');
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-pull-'));
  const postgres = await startTestPostgres();
  try {
    const hub = await freshHub(postgres);
    const partnerId = hub.partner.timing_partner_id;
    const login = partnerLogin(hub.adminUrl, hub.partner);
    const source = syntheticLaptop(dir, participants, partnerId);
    const pushing = createCore({ dataDir: source.dir, settings: createConfSettings(source.dir), credentials: memoryCredentials() });
    try {
      const pushed = await pushPendingChanges(pushing.db, { connection: login, partnerId });
      if (pushed.pending !== 0) throw new Error(`loading the hub left ${pushed.pending} changes unpushed`);
    } finally {
      pushing.close();
    }
    const expected = source.events.length + source.participants.length;

    const pullMs: number[] = [];
    const pullCpuUs: number[] = [];
    const copyMs: number[] = [];
    const bareMs: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const laptopDir = join(dir, `round-${round}`);
      const laptop = createCore({ dataDir: laptopDir, settings: createConfSettings(laptopDir), credentials: memoryCredentials() });
      try {
        await call(laptop, 'partner.set', { id: partnerId, name: benchPartnerName });
        await call(laptop, 'hub.set', login);
        const start = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        const summary = (await call(laptop, 'hub.pull', {})) as { rows: number };
        const used = process.cpuUsage(cpu);
        pullMs.push(Number(process.hrtime.bigint() - start) / 1e6);
        pullCpuUs.push(used.user + used.system);
        if (summary.rows !== expected) throw new Error(`the pull brought ${summary.rows} rows, not ${expected}`);
        // The baseline reads what the pull reads: the columns this laptop stores, change_seq after them, in change_seq order.
        const copies = pulledHere.map((table) => {
          const columns = [...pushedColumns(laptop.db, pushableTable(table)!), 'change_seq'].map((c) => `"${c}"`);
          return `\\copy (SELECT ${columns.join(', ')} FROM public.${table} WHERE timing_partner_id = ${partnerId} ORDER BY change_seq) TO STDOUT`;
        });
        copyMs.push(await timedPsql(login.url, copies, login.password));
        bareMs.push(timedBareInsert(laptop.db, join(laptopDir, 'bare.sqlite')));
      } finally {
        laptop.close();
        rmSync(laptopDir, { recursive: true, force: true });
      }
    }
    return {
      rows: expected,
      rounds,
      pullRowsPerSec: expected / (median(pullMs) / 1000),
      pullCpuUsPerRow: median(pullCpuUs) / expected,
      copyRowsPerSec: expected / (median(copyMs) / 1000),
      bareInsertRowsPerSec: expected / (median(bareMs) / 1000),
    };
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The physical limit of storing what a pull stores: the laptop's pulled rows, read back (not
 * timed), inserted into tables of the same columns with no key, index, constraint or trigger, in
 * a fresh SQLite file opened as the laptop's is (WAL, synchronous NORMAL), one prepared
 * statement per table, one transaction. Milliseconds of the inserts alone.
 */
function timedBareInsert(laptop: Db, path: string): number {
  const bare = new Database(path);
  try {
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = NORMAL');
    const tables = pulledHere.map((table) => {
      const columns = ['timing_partner_id', ...pushedColumns(laptop, pushableTable(table)!)].map((c) => `"${c}"`);
      bare.exec(`CREATE TABLE ${table} (${columns.join(', ')})`);
      return {
        rows: laptop.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).raw().all() as unknown[][],
        insert: bare.prepare(`INSERT INTO ${table} VALUES (${columns.map(() => '?').join(', ')})`),
      };
    });
    return timeMs(() =>
      bare.transaction(() => {
        for (const { rows, insert } of tables) for (const row of rows) insert.run(row);
      })(),
    );
  } finally {
    bare.close();
  }
}

async function call(core: Core, name: string, input: unknown): Promise<unknown> {
  const result = await dispatch(core, name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}
