import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner, type NewPartner } from '../../../src-main/core/hub/partners.ts';
import type { TestPostgres } from '../../helpers/postgres.ts';

/** Shared bits of the hub tests: admin queries and the seed hub fixture. */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The production hub exactly as /work/shared/hub-schema.md writes it (before any RaceDesk migration). */
export const seedHubSql = readFileSync(join(import.meta.dirname, 'fixtures', 'seed-hub.sql'), 'utf8');

/** A login URL for a partner role on the same server and database as `adminUrl`. */
export function loginUrl(adminUrl: string, role: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

export function withoutPassword(url: string): { url: string; password: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** A hub database with a partner on it. */
export interface PartnerHub {
  adminUrl: string;
  partner: NewPartner;
  /** The partner's login URL, without password (as settings.hub keeps it). */
  url: string;
}

/** A new migrated hub database on `server` with partner `name`; given `adminUrl`, another partner on that hub. */
export async function partnerHub(server: TestPostgres, name = 'Acme Timing', adminUrl?: string): Promise<PartnerHub> {
  const url = adminUrl ?? (await server.createDatabase());
  if (!adminUrl) await migrateHub({ url });
  const partner = await addPartner({ url }, name);
  return { adminUrl: url, partner, url: loginUrl(url, partner.role, '') };
}
