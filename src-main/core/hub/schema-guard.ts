import type pg from 'pg';
import { RaceDeskError } from '../errors.ts';

/*
 * The admin's statements (migrations, add-partner) resolve names in the schema public, where
 * PostgreSQL 13/14 let every role create objects. A function a partner planted there with a
 * closer argument match than pg_catalog's (public.lower(varchar), public.format_type(oid, text))
 * would run with the admin's rights. Hub migration 5 takes CREATE away from everyone; objects a
 * partner made before that, or after someone granted it back, are refused here before the admin
 * runs anything. Every name below is schema-qualified: this query runs before anything is trusted.
 */
const partnerObjectsSql = /* sql */ `
SELECT o.kind, o.name, r.rolname AS owner
FROM (
  SELECT 'function' AS kind, p.oid::pg_catalog.regprocedure::pg_catalog.text AS name, p.proowner AS owner
    FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'public'::pg_catalog.regnamespace
  UNION ALL
  SELECT 'relation', c.oid::pg_catalog.regclass::pg_catalog.text, c.relowner
    FROM pg_catalog.pg_class c WHERE c.relnamespace = 'public'::pg_catalog.regnamespace
  UNION ALL
  SELECT 'type', t.oid::pg_catalog.regtype::pg_catalog.text, t.typowner
    FROM pg_catalog.pg_type t WHERE t.typnamespace = 'public'::pg_catalog.regnamespace
  UNION ALL
  SELECT 'operator', o.oid::pg_catalog.regoperator::pg_catalog.text, o.oprowner
    FROM pg_catalog.pg_operator o WHERE o.oprnamespace = 'public'::pg_catalog.regnamespace
  UNION ALL
  SELECT 'collation', c.collname::pg_catalog.text, c.collowner
    FROM pg_catalog.pg_collation c WHERE c.collnamespace = 'public'::pg_catalog.regnamespace
  UNION ALL
  SELECT 'conversion', c.conname::pg_catalog.text, c.conowner
    FROM pg_catalog.pg_conversion c WHERE c.connamespace = 'public'::pg_catalog.regnamespace
) o
JOIN pg_catalog.pg_roles r ON r.oid = o.owner
JOIN pg_catalog.pg_roles g ON g.rolname = 'racedesk_partner'
-- pg_has_role is true for superusers on every role: they are not partners.
WHERE NOT r.rolsuper AND r.oid OPERATOR(pg_catalog.<>) g.oid AND pg_catalog.pg_has_role(r.oid, g.oid, 'MEMBER')
ORDER BY 3, 1, 2
LIMIT 20`;

/** Throws, naming them, when objects owned by a partner role exist in the hub's schema. */
export async function refusePartnerObjects(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ kind: string; name: string; owner: string }>(partnerObjectsSql);
  if (rows.length === 0) return;
  const listed = rows.map((r) => `${r.kind} ${r.name} (owned by ${r.owner})`).join(', ');
  throw new RaceDeskError(
    'hub_error',
    `The hub's schema public holds objects a timing partner's login created: ${listed}. Nothing was changed. ` +
      'They could run with the admin\'s rights, so RaceDesk stops here: inspect them, drop them (DROP ... ; as the admin), ' +
      'make sure REVOKE CREATE ON SCHEMA public FROM PUBLIC holds, then run the command again.',
  );
}
