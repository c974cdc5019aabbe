import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { spawnSync } from 'node:child_process';
import type pg from 'pg';
import type { Core } from '../core/core.ts';
import { setPartner } from '../core/accounts/accounts.ts';
import { withHub } from '../core/hub/client.ts';
import { startEmbeddedPostgres } from './embedded-hub.ts';
import { setHub } from '../core/hub/hub-settings.ts';
import { migrateHub } from '../core/hub/migrate.ts';
import { addPartner } from '../core/hub/partners.ts';

/*
 * The demo's hub: a real PostgreSQL in a folder of the demo's data, migrated, with the demo
 * timing partner and its login, and this laptop set up to push as that partner (settings.partner
 * and the hub URL, the password in the demo's keychain service).
 *
 * The hub keeps its data between demo runs, like the demo's local store: the store's outbox only
 * holds what the hub has not seen yet, so a fresh hub beside an old store would miss everything
 * pushed in earlier runs. Each run gets a new port and a new password for the partner login (a
 * throwaway keychain may have forgotten the old one).
 */
export const demoPartnerName = 'Demo Timing Co.';
export const demoHubDatabase = 'racedesk_hub';

export interface DemoHub {
  /** What this laptop pushes through: the demo partner's login, without its password. */
  url: string;
  partner: { id: number; name: string; role: string };
  /** The superuser's URL without its password, which is in passFile. */
  adminUrl: string;
  passFile: string;
  /** Opens the hub as its superuser, or null when psql is not installed. */
  psqlCommand: string | null;
  stop(): Promise<void>;
}

export async function startDemoHub(core: Core, options: { dir: string }): Promise<DemoHub> {
  letPostgresThroughDataFolder(core.dataDir, options.dir);
  const server = await startEmbeddedPostgres({ dir: options.dir, persistent: true });
  try {
    const admin = { url: server.adminUrl };
    await withHub(admin, (client) => createDatabaseIfMissing(client, demoHubDatabase));
    const hubAdmin = { url: withDatabase(server.adminUrl, demoHubDatabase) };
    await migrateHub(hubAdmin);
    const partner =
      (await withHub(hubAdmin, (client) => renewExistingPartnerLogin(client, demoPartnerName))) ?? (await addPartner(hubAdmin, demoPartnerName));

    setPartner(core, { id: partner.timing_partner_id, name: demoPartnerName });
    const login = new URL(hubAdmin.url);
    login.username = partner.role;
    login.password = '';
    const { url } = await setHub(core, { url: login.toString(), password: partner.password });

    const adminUrl = new URL(hubAdmin.url);
    adminUrl.password = '';
    return {
      url,
      partner: { id: partner.timing_partner_id, name: demoPartnerName, role: partner.role },
      adminUrl: adminUrl.toString(),
      passFile: server.passFile!,
      psqlCommand: hasPsql() ? `PGPASSFILE=${shellQuote(server.passFile!)} psql ${shellQuote(adminUrl.toString())}` : null,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function createDatabaseIfMissing(client: pg.Client, name: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
}

/** The partner from an earlier run, its login given a new password; null on a new hub. */
async function renewExistingPartnerLogin(
  client: pg.Client,
  name: string,
): Promise<{ timing_partner_id: number; role: string; password: string } | null> {
  const { rows } = await client.query<{ timing_partner_id: number; role: string }>(
    `SELECT p.timing_partner_id, r.role_name AS role
     FROM timing_partners p JOIN hub_partner_roles r ON r.timing_partner_id = p.timing_partner_id
     WHERE lower(p.company_name) = lower($1)
     ORDER BY r.created_at LIMIT 1`,
    [name],
  );
  if (rows.length === 0) return null;
  const password = randomBytes(24).toString('base64url');
  await client.query(`ALTER ROLE ${client.escapeIdentifier(rows[0].role)} PASSWORD ${client.escapeLiteral(password)}`);
  return { ...rows[0], password };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function hasPsql(): boolean {
  return spawnSync('psql', ['--version'], { stdio: 'ignore' }).status === 0;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/*
 * As root, the demo's PostgreSQL runs as the postgres user, which must pass through the data
 * folder (created 0700) to reach the hub folder inside it. 0701 lets it pass without listing
 * the folder; the files in it (database, settings, token) stay 0600.
 */
function letPostgresThroughDataFolder(dataDir: string, hubDir: string): void {
  const inside = relative(dataDir, hubDir);
  if (process.getuid?.() !== 0 || inside.startsWith('..') || isAbsolute(inside)) return;
  chmodSync(dataDir, 0o701);
}
