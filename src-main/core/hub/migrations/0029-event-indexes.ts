import type { HubMigration } from './types.ts';
import { partnerTables } from './0003-tenant-isolation.ts';

/*
 * Reads by event, as one partner's login, at the production hub's size (issue 20 item 6;
 * docs/performance-hub.md has the plans and figures). Three things kept every such read from an
 * index:
 *
 * 1. The partner's row-level security qual was an OR: partner_rows (timing_partner_id = the
 *    caller's partner) or hub_admin_rows (the caller sees all partners). PostgreSQL ORs permissive
 *    policies, and no index can serve "partner = $1 OR $2". hub_admin_rows is only ever consulted
 *    for racedesk_view_owner, the owner of the views on PostgreSQL 13/14 (hub/views.ts): everyone
 *    else it would let through (superusers, BYPASSRLS roles, the tables' owner and its members)
 *    skips row-level security altogether. So it now applies to that role alone, and a partner
 *    login's qual is partner_rows' equality, which leads every index below. The role is created
 *    here, since a policy can only name a role that exists.
 * 2. No index started with the partner and the event.
 * 3. RunSignUp and Race Roster keep event_id as an integer while the views show text, and a cast
 *    of the column in the view neither matches an index nor may run before the policy (int4out is
 *    not leakproof), so the event's rows were found by reading all the partner's rows. event_id_text
 *    is the same value as text, kept by PostgreSQL (a stored generated column, which no partner can
 *    write), for the views and the indexes.
 *
 * Bib lookups within an event use the third column. An event's results by place (top N) need an
 * index led by the event alone: the policy's qual on a table read through a UNION ALL view is no
 * equality the planner may treat as a constant when it orders a scan, so an index led by the
 * partner would give no order, and every result of the event would be read and sorted. Read in
 * place order, the policy drops another partner's results with the same event id as it goes; an
 * event's count and the status trigger (0030) use the partner-led keys.
 *
 * Cost on the production hub: the generated columns rewrite the two small registration tables
 * (38,362 RunSignUp rows, no Race Roster ones); each new index is one build over its table.
 */
const partnerEventIndexes = [
  { table: 'runsignup_participants', columns: ['event_id_text', 'bib_num'] },
  { table: 'raceroster_participants', columns: ['event_id_text', 'bib_number'] },
  { table: 'ct_participants', columns: ['event_id', 'entry_bib'] },
  { table: 'copernico_participants', columns: ['event_id', 'bib_number'] },
  { table: 'haku_participants', columns: ['event_id', 'bib_number'] },
];

const placeIndexes = [
  { table: 'ct_results', place: 'results_rank' },
  { table: 'copernico_results', place: 'overall_position' },
  { table: 'crew_results', place: 'overall_place' },
];

export const eventIndexes: HubMigration = {
  version: 29,
  name: 'event-indexes',
  up: /* sql */ `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'racedesk_view_owner') THEN
    CREATE ROLE racedesk_view_owner NOLOGIN NOINHERIT NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;
${partnerTables
  .map(
    (table) => `DROP POLICY IF EXISTS hub_admin_rows ON public.${table};
CREATE POLICY hub_admin_rows ON public.${table} FOR SELECT TO racedesk_view_owner USING ((SELECT public.hub_sees_all_partners()));`,
  )
  .join('\n')}

ALTER TABLE public.runsignup_participants ADD COLUMN IF NOT EXISTS event_id_text VARCHAR GENERATED ALWAYS AS (event_id::varchar) STORED;
ALTER TABLE public.raceroster_participants ADD COLUMN IF NOT EXISTS event_id_text VARCHAR GENERATED ALWAYS AS (event_id::varchar) STORED;
${partnerEventIndexes
  .map(({ table, columns }) => `CREATE INDEX IF NOT EXISTS ${table}_partner_event ON public.${table} (timing_partner_id, ${columns.join(', ')});`)
  .join('\n')}
${placeIndexes.map(({ table, place }) => `CREATE INDEX IF NOT EXISTS ${table}_event_place ON public.${table} (event_id, ${place});`).join('\n')}
`,
};
