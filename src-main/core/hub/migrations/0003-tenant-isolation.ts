import type { HubMigration } from './types.ts';

/*
 * Tenant isolation, as the seed promises ("row-level security via timing_partner_id").
 *
 * Each timing partner logs in with a role of its own (hub/partners.ts creates it), recorded in
 * hub_partner_roles and made a member of racedesk_partner, which holds the table privileges.
 * Row-level security then limits every read and write to the rows of the partner mapped to
 * current_user, whatever SQL the role sends. The migrating admin owns the tables and so is not
 * subject to these policies (PostgreSQL exempts owners unless FORCE is set), nor are superusers
 * and BYPASSRLS roles; any other existing role now sees no rows until it is given BYPASSRLS or a
 * partner mapping.
 *
 * current_user, not session_user: a partner that runs SET ROLE racedesk_partner finds no mapping
 * for that group and sees nothing.
 */
export const partnerTables = [
  'sync_queue',
  'sync_history',
  'runsignup_events',
  'runsignup_participants',
  'ct_events',
  'ct_participants',
  'ct_results',
  'raceroster_events',
  'raceroster_participants',
  'copernico_events',
  'copernico_participants',
  'copernico_results',
  'haku_events',
  'haku_participants',
  'participant_changes',
  'local_participants',
  'crew_results',
  'hub_applied_batches',
];

const isolate = (table: string) => `
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS partner_rows ON ${table};
CREATE POLICY partner_rows ON ${table}
  USING (timing_partner_id = (SELECT hub_current_partner_id()))
  WITH CHECK (timing_partner_id = (SELECT hub_current_partner_id()));
GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO racedesk_partner;`;

export const tenantIsolation: HubMigration = {
  version: 3,
  name: 'tenant-isolation',
  up: /* sql */ `
-- Roles belong to the cluster, not the database: another hub database on the same server may
-- have created the group already (possibly at this very moment).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'racedesk_partner') THEN
    CREATE ROLE racedesk_partner NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;

CREATE TABLE IF NOT EXISTS hub_partner_roles (
    role_name NAME PRIMARY KEY,
    timing_partner_id INTEGER NOT NULL REFERENCES timing_partners(timing_partner_id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE hub_partner_roles ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_mapping ON hub_partner_roles;
CREATE POLICY own_mapping ON hub_partner_roles USING (role_name = current_user);
GRANT SELECT ON hub_partner_roles TO racedesk_partner;

-- Invoker's rights (no SECURITY DEFINER): the lookup itself goes through the policy above.
CREATE OR REPLACE FUNCTION hub_current_partner_id() RETURNS INTEGER
  LANGUAGE sql STABLE
  AS $$ SELECT timing_partner_id FROM public.hub_partner_roles WHERE role_name = current_user $$;

-- Whether current_user reads past row-level security on the hub's tables (superuser, BYPASSRLS,
-- or the tables' owner): the unified views use it to show such roles every partner's rows.
CREATE OR REPLACE FUNCTION hub_sees_all_partners() RETURNS BOOLEAN
  LANGUAGE sql STABLE
  AS $$
    SELECT r.rolsuper OR r.rolbypassrls
        OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'public.timing_partners'::regclass), 'USAGE')
    FROM pg_roles r WHERE r.rolname = current_user
  $$;

ALTER TABLE timing_partners ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS partner_rows ON timing_partners;
CREATE POLICY partner_rows ON timing_partners USING (timing_partner_id = (SELECT hub_current_partner_id()));
GRANT SELECT ON timing_partners TO racedesk_partner;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS partner_rows ON users;
CREATE POLICY partner_rows ON users USING (timing_partner_id = (SELECT hub_current_partner_id()));

GRANT SELECT ON providers TO racedesk_partner;
GRANT SELECT ON hub_schema_migrations TO racedesk_partner;
${partnerTables.map(isolate).join('\n')}
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO racedesk_partner;
`,
};
