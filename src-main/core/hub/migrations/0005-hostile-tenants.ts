import type { HubMigration } from './types.ts';
import { partnerTables } from './0003-tenant-isolation.ts';

/*
 * Every partner login is treated as hostile (issue 13). What each step costs on the production
 * hub (10.8 million rows) is in the README's hub section.
 *
 * 1. Nobody but the schema's owner creates objects in public (PostgreSQL 13/14 let everyone).
 *    migrate.ts and partners.ts also refuse to run while a partner-owned object exists there
 *    (schema-guard.ts), and pin search_path on every connection; the hub's functions pin their own.
 * 2. CONNECT to this database only for its admin and its partners' logins (not PUBLIC: a role of
 *    another hub database on the same server has no business here).
 * 3. Keys scoped by partner: the seed's global primary keys on provider ids go (the partner-scoped
 *    natural keys of version 2 are the keys), and foreign keys and their cascades join on
 *    (timing_partner_id, event_id). Not PRIMARY KEY constraints: rows from before RaceDesk may have
 *    timing_partner_id NULL, and SET NOT NULL would scan each big table under an exclusive lock.
 *    Haku participants are keyed by (partner, event_id, participant_id), the key the laptops move
 *    to; the (partner, participant_id) index stays while laptops push by participant_id alone.
 *    hub_applied_batches is keyed by (partner, batch_id): a batch id another partner sent can
 *    neither block nor silently skip ours.
 * 4. Surrogate ids become bigint identities (an identity's own sequence needs no privilege to
 *    insert), partners lose every privilege on sequences and may not write the id columns.
 * 5. The unified views read through row-level security, so a caller's function can never see a
 *    row before the policy has filtered it (hub/views.ts creates them so after every migration).
 *    The admin reads every row through an explicit policy (hub_admin_rows).
 */
const idTables = [
  'sync_queue',
  'sync_history',
  'runsignup_participants',
  'ct_results',
  'raceroster_participants',
  'copernico_participants',
  'copernico_results',
  'haku_participants',
  'crew_results',
];

const eventForeignKeys = [
  { table: 'copernico_participants', parent: 'copernico_events' },
  { table: 'copernico_results', parent: 'copernico_events' },
  { table: 'haku_participants', parent: 'haku_events' },
];

const seedProviderKeys = ['runsignup_events', 'ct_events', 'ct_participants', 'copernico_events', 'haku_events'];

const partnerScopedForeignKey = ({ table, parent }: { table: string; parent: string }) => `
ALTER TABLE public.${table} DROP CONSTRAINT IF EXISTS ${table}_event_id_fkey;
ALTER TABLE public.${table} ADD CONSTRAINT ${table}_partner_event_fkey FOREIGN KEY (timing_partner_id, event_id)
  REFERENCES public.${parent} (timing_partner_id, event_id) ON DELETE CASCADE NOT VALID;
ALTER TABLE public.${table} VALIDATE CONSTRAINT ${table}_partner_event_fkey;`;

const adminPolicy = (table: string) => `
DROP POLICY IF EXISTS hub_admin_rows ON public.${table};
CREATE POLICY hub_admin_rows ON public.${table} FOR SELECT USING ((SELECT public.hub_sees_all_partners()));`;

export const hostileTenants: HubMigration = {
  version: 5,
  name: 'hostile-tenants',
  up: /* sql */ `
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$
BEGIN
  -- REVOKE by a role that is not the schema's owner only warns: make sure it took.
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
             WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE') THEN
    RAISE EXCEPTION 'Every role may create objects in the hub''s schema public, and this login cannot change that: its owner (%) must run REVOKE CREATE ON SCHEMA public FROM PUBLIC, then racedesk hub migrate again.',
      (SELECT pg_catalog.pg_get_userbyid(nspowner) FROM pg_catalog.pg_namespace WHERE nspname = 'public');
  END IF;
END $$;

CREATE OR REPLACE FUNCTION public.hub_current_partner_id() RETURNS INTEGER
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT timing_partner_id FROM public.hub_partner_roles WHERE role_name = current_user $$;

CREATE OR REPLACE FUNCTION public.hub_sees_all_partners() RETURNS BOOLEAN
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT r.rolsuper OR r.rolbypassrls
        OR pg_catalog.pg_has_role(current_user, (SELECT relowner FROM pg_catalog.pg_class WHERE oid = 'public.timing_partners'::pg_catalog.regclass), 'USAGE')
    FROM pg_catalog.pg_roles r WHERE r.rolname = current_user
  $$;

DO $$
DECLARE partner record;
BEGIN
  EXECUTE pg_catalog.format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', pg_catalog.current_database());
  EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO %I', pg_catalog.current_database(), current_user);
  FOR partner IN SELECT m.role_name FROM public.hub_partner_roles m JOIN pg_catalog.pg_roles r ON r.rolname = m.role_name LOOP
    EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO %I', pg_catalog.current_database(), partner.role_name);
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_database d, pg_catalog.aclexplode(d.datacl) a
             WHERE d.datname = pg_catalog.current_database() AND a.grantee = 0 AND a.privilege_type = 'CONNECT')
     OR (SELECT datacl IS NULL FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) THEN
    RAISE EXCEPTION 'Every role on this server may connect to the hub database, and this login cannot change that: its owner (%) must run REVOKE CONNECT ON DATABASE % FROM PUBLIC, then racedesk hub migrate again.',
      (SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()), pg_catalog.current_database();
  END IF;
END $$;

${seedProviderKeys.map((table) => `ALTER TABLE public.${table} DROP CONSTRAINT IF EXISTS ${table}_pkey CASCADE;`).join('\n')}
CREATE UNIQUE INDEX IF NOT EXISTS haku_participants_event_key ON public.haku_participants (timing_partner_id, event_id, participant_id);
${eventForeignKeys.map(partnerScopedForeignKey).join('\n')}

CREATE UNIQUE INDEX IF NOT EXISTS hub_applied_batches_partner_batch ON public.hub_applied_batches (timing_partner_id, batch_id);
ALTER TABLE public.hub_applied_batches DROP CONSTRAINT IF EXISTS hub_applied_batches_pkey;
ALTER TABLE public.hub_applied_batches ADD CONSTRAINT hub_applied_batches_pkey PRIMARY KEY USING INDEX hub_applied_batches_partner_batch;

DO $$
DECLARE
  tbl text;
  seq text;
  next_id bigint;
  writable text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['${idTables.join("', '")}'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                   WHERE attrelid = ('public.' || tbl)::pg_catalog.regclass AND attname = 'id' AND attidentity <> '') THEN
      seq := pg_catalog.pg_get_serial_sequence('public.' || tbl, 'id');
      next_id := 1;
      IF seq IS NOT NULL THEN
        EXECUTE pg_catalog.format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s', seq) INTO next_id;
      END IF;
      -- One rewrite of the table: the default goes in the same ALTER as the type change.
      EXECUTE pg_catalog.format('ALTER TABLE public.%I ALTER COLUMN id DROP DEFAULT, ALTER COLUMN id TYPE bigint', tbl);
      IF seq IS NOT NULL THEN
        EXECUTE pg_catalog.format('DROP SEQUENCE %s', seq);
      END IF;
      EXECUTE pg_catalog.format('ALTER TABLE public.%I ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH %s)', tbl, next_id);
    END IF;
    -- Partners write every column but id (an id written by hand could take the next one the
    -- identity hands out, blocking another partner's insert). A column added to one of these
    -- tables later must be granted the same way.
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(attname), ', ' ORDER BY attnum) INTO writable
      FROM pg_catalog.pg_attribute
      WHERE attrelid = ('public.' || tbl)::pg_catalog.regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'id';
    EXECUTE pg_catalog.format('REVOKE INSERT, UPDATE ON public.%I FROM racedesk_partner', tbl);
    EXECUTE pg_catalog.format('GRANT INSERT (%s), UPDATE (%s) ON public.%I TO racedesk_partner', writable, writable, tbl);
  END LOOP;
END $$;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM racedesk_partner;

${partnerTables.map(adminPolicy).join('\n')}
`,
};
