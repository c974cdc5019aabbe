import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { setPartner } from '../../src-main/core/accounts/accounts.ts';
import { openDatabase } from '../../src-main/core/store/database.ts';
import { upsertRows } from '../../src-main/core/store/upsert.ts';
import { migrateHub } from '../../src-main/core/hub/migrate.ts';
import { addPartner, type NewPartner } from '../../src-main/core/hub/partners.ts';
import type { TestPostgres } from '../helpers/postgres.ts';
import { fillStore } from './synthetic.ts';
import { memoryCredentials } from './memory-credentials.ts';

/* What the hub benchmarks (push.ts, pull.ts) share: hubs, a laptop full of rows, psql baselines. */

export const benchPartnerName = 'Bench Timing';

type Row = Record<string, string | number | null>;

export function requirePsql(figure: string): void {
  if (spawnSync('sh', ['-c', 'command -v psql']).status !== 0) {
    throw new Error(`the ${figure} baseline needs psql (Debian: apt-get install -y postgresql-client)`);
  }
}

/** A freshly migrated hub database with one partner. Every fresh hub numbers its first partner alike. */
export async function freshHub(postgres: TestPostgres): Promise<{ adminUrl: string; partner: NewPartner }> {
  const adminUrl = await postgres.createDatabase();
  await migrateHub({ url: adminUrl });
  return { adminUrl, partner: await addPartner({ url: adminUrl }, benchPartnerName) };
}

/** The partner's login to a hub database: its role as the user, the password given apart. */
export function partnerLogin(adminUrl: string, partner: NewPartner): { url: string; password: string } {
  const url = new URL(adminUrl);
  url.username = partner.role;
  url.password = '';
  return { url: url.toString(), password: partner.password };
}

export interface SyntheticLaptop {
  /** A closed laptop data folder: copy it to push the same outbox again. */
  dir: string;
  events: Row[];
  /** The RunSignUp participants, as the laptop holds them (without its local id). */
  participants: Row[];
}

/**
 * A laptop data folder holding about `participants` RunSignUp registrations of `partnerId`, all
 * waiting in the outbox: written the way a sync writes them, through upsertRows, so each lands
 * in the outbox in its own transaction's company.
 */
export function syntheticLaptop(dir: string, participants: number, partnerId: number): SyntheticLaptop {
  const scratch = openDatabase(join(dir, 'scratch', 'racedesk.sqlite'));
  // fillStore puts 60% of its rows in RunSignUp, the provider used here.
  fillStore(scratch, { participants: Math.ceil(participants / 0.6), runsignupEvents: 8, chronotrackEvents: 1 });
  const withPartner = (row: Row): Row => {
    const { id: _localId, ...rest } = row;
    return { ...rest, timing_partner_id: partnerId };
  };
  const events = (scratch.prepare('SELECT * FROM runsignup_events').all() as Row[]).map(withPartner);
  const rows = (scratch.prepare('SELECT * FROM runsignup_participants').all() as Row[]).map(withPartner);
  scratch.close();
  const laptopDir = join(dir, 'laptop');
  const core = createCore({ dataDir: laptopDir, settings: createConfSettings(laptopDir), credentials: memoryCredentials() });
  setPartner(core, { id: partnerId, name: benchPartnerName });
  core.db.transaction(() => {
    upsertRows(core.db, 'runsignup_events', ['event_id'], events);
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], rows);
  })();
  // Closing the last connection folds the WAL into the file, so a copy of the folder is the laptop.
  core.close();
  return { dir: laptopDir, events, participants: rows };
}

/** Milliseconds psql takes to run `commands` (each one -c) against `url`; its standard output is discarded. */
export async function timedPsql(url: string, commands: string[], password?: string): Promise<number> {
  const devNull = openSync('/dev/null', 'w');
  try {
    const start = process.hrtime.bigint();
    const psql = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', ...commands.flatMap((c) => ['-c', c])], {
      stdio: ['ignore', devNull, 'inherit'],
      env: password === undefined ? process.env : { ...process.env, PGPASSWORD: password },
    });
    const [code] = (await once(psql, 'exit')) as [number];
    if (code !== 0) throw new Error(`psql exited ${code} running ${commands.join('; ')}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  } finally {
    closeSync(devNull);
  }
}
