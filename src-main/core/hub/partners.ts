import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { RaceDeskError } from '../errors.ts';
import { hubError, inTransaction, withHub, type HubConnection } from './client.ts';
import { appliedVersion, newestHubVersion } from './migrate.ts';
import { refusePartnerObjects } from './schema-guard.ts';

/*
 * Timing partners on the hub. Each partner gets a login role of its own, member of
 * racedesk_partner (the table privileges) and mapped to its timing_partner_id in
 * hub_partner_roles (what row-level security reads). Row, role and mapping are made in one
 * transaction (CREATE ROLE is transactional in PostgreSQL), so no role exists without its mapping.
 *
 * Role names belong to the whole server, which may host several hub databases: the name carries
 * a random suffix besides the partner id.
 */
export interface NewPartner {
  timing_partner_id: number;
  role: string;
  password: string;
}

export async function addPartner(admin: HubConnection, name: string): Promise<NewPartner> {
  const companyName = name.trim();
  if (companyName.length === 0 || companyName.length > 255) {
    throw new RaceDeskError('invalid_input', 'Give the timing partner a name of 1 to 255 characters (--name).');
  }
  return withHub(admin, async (client) => {
    try {
      await requireMigrated(client);
      return await inTransaction(client, async () => {
        await refusePartnerObjects(client);
        return createPartner(client, companyName);
      });
    } catch (error) {
      throw hubError(error, admin.url);
    }
  });
}

async function createPartner(client: pg.Client, companyName: string): Promise<NewPartner> {
  // Serialises concurrent add-partner runs so the duplicate-name check below holds.
  await client.query('LOCK TABLE public.timing_partners IN SHARE ROW EXCLUSIVE MODE');
  const existing = await client.query<{ timing_partner_id: number }>(
    'SELECT timing_partner_id FROM public.timing_partners WHERE pg_catalog.lower(company_name) = pg_catalog.lower($1)',
    [companyName],
  );
  if (existing.rows.length > 0) {
    throw new RaceDeskError(
      'conflict',
      `A timing partner named "${companyName}" already exists on the hub (id ${existing.rows[0].timing_partner_id}).`,
    );
  }
  const { rows } = await client.query<{ timing_partner_id: number }>(
    'INSERT INTO public.timing_partners (company_name, api_access_enabled) VALUES ($1, true) RETURNING timing_partner_id',
    [companyName],
  );
  const partnerId = rows[0].timing_partner_id;
  const role = `racedesk_p${partnerId}_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  await client.query(`CREATE ROLE ${client.escapeIdentifier(role)} LOGIN PASSWORD ${client.escapeLiteral(password)} IN ROLE racedesk_partner`);
  await client.query('INSERT INTO public.hub_partner_roles (role_name, timing_partner_id) VALUES ($1, $2)', [role, partnerId]);
  // CONNECT is granted per login, not to racedesk_partner: that group is shared by every hub database on the server.
  const { rows: database } = await client.query<{ name: string }>('SELECT pg_catalog.current_database() AS name');
  await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database[0].name)} TO ${client.escapeIdentifier(role)}`);
  return { timing_partner_id: partnerId, role, password };
}

async function requireMigrated(client: pg.Client): Promise<void> {
  const version = await appliedVersion(client);
  if (version < newestHubVersion) {
    throw new RaceDeskError('hub_error', `The hub is at schema version ${version}; run racedesk hub migrate --url ... first (this RaceDesk needs ${newestHubVersion}).`);
  }
}

/** The timing partner the connected role acts for, or null for a role that is no partner's. */
export async function connectedPartner(client: pg.Client): Promise<{ role: string; partnerId: number | null }> {
  const { rows } = await client.query<{ role: string; partner_id: number | null }>(
    'SELECT current_user AS role, public.hub_current_partner_id() AS partner_id',
  );
  return { role: rows[0].role, partnerId: rows[0].partner_id };
}
