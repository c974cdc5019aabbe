import type pg from 'pg';
import { RaceDeskError } from '../errors.ts';
import { hubError, inTransaction, withHub, type HubConnection } from './client.ts';
import { hubMigrations } from './migrations/index.ts';
import { refusePartnerObjects } from './schema-guard.ts';
import type { HubMigration } from './migrations/types.ts';
import { pendingMigrations } from '../store/migration-ledger.ts';
import { dropHubViews, ensureHubViews } from './views.ts';

/*
 * Brings a hub to the newest schema. All pending migrations run in one transaction under a
 * transaction-scoped advisory lock, so two laptops migrating at once take turns: the second
 * waits, then finds nothing left to do. Applied migrations are recorded in hub_schema_migrations,
 * the ledger that pendingMigrations checks against this RaceDesk's list (a late one is refused).
 * The views are no migration's: dropped before pending migrations, created from their one
 * definition after (hub/views.ts).
 */
const migrationLock = 880_088_001;

export interface MigrateResult {
  applied: Array<{ version: number; name: string }>;
  version: number;
}

export async function migrateHub(connection: HubConnection, migrations: readonly HubMigration[] = hubMigrations): Promise<MigrateResult> {
  return withHub(connection, async (client) => {
    try {
      return await inTransaction(client, () => applyPending(client, migrations));
    } catch (error) {
      throw hubError(error, connection.url);
    }
  });
}

async function applyPending(client: pg.Client, migrations: readonly HubMigration[]): Promise<MigrateResult> {
  await client.query('SELECT pg_catalog.pg_advisory_xact_lock($1)', [migrationLock]);
  await refusePartnerObjects(client);
  await client.query(`CREATE TABLE IF NOT EXISTS public.hub_schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  const ledger = await client.query<{ version: number; name: string }>('SELECT version, name FROM hub_schema_migrations ORDER BY version');
  const pending = pendingMigrations(migrations, ledger.rows, {
    name: 'The hub',
    whenNewer: 'Update RaceDesk on this laptop.',
  });
  const applied: MigrateResult['applied'] = [];
  if (pending.length > 0) await client.query(dropHubViews);
  for (const migration of pending) {
    try {
      await client.query(migration.up);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RaceDeskError('hub_error', `Hub migration ${migration.version} (${migration.name}) failed, nothing was changed: ${message}`);
    }
    await client.query('INSERT INTO public.hub_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    applied.push({ version: migration.version, name: migration.name });
  }
  // The views are written for the newest schema: a hub migrated only part of the way (an upgrade
  // test's starting point) gets them when the rest is applied.
  if (migrations.at(-1)?.version !== hubMigrations.at(-1)?.version) return { applied, version: migrations.at(-1)?.version ?? 0 };
  try {
    await ensureHubViews(client, pending.length > 0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RaceDeskError('hub_error', `The hub's views could not be created, nothing was changed: ${message}`);
  }
  return { applied, version: migrations.at(-1)?.version ?? 0 };
}

export async function appliedVersion(client: pg.Client): Promise<number> {
  const exists = await client.query(`SELECT pg_catalog.to_regclass('public.hub_schema_migrations') IS NOT NULL AS present`);
  if (!exists.rows[0].present) return 0;
  const { rows } = await client.query<{ version: number }>(`SELECT coalesce(pg_catalog.max(version), 0) AS version FROM public.hub_schema_migrations`);
  return rows[0].version;
}

export const newestHubVersion = hubMigrations.at(-1)?.version ?? 0;
