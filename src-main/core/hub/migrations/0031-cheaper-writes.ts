import type { HubMigration } from './types.ts';

/*
 * What every write to a partner's rows costs the hub (issue 20; measured in docs/performance-push.md).
 *
 * 1. The change stamp (migration 27) locked the partner's hub_change_clock row for every row
 *    written: per row a second PL/pgSQL call, a query through the clock's row-level security
 *    (whose policy calls hub_current_partner_id, itself a query) and two function-level SET
 *    search_path clauses, each a configuration save and restore. That was more than half of
 *    what a push of 200,000 rows cost the hub. The lock only has to be taken once per
 *    transaction: hub_next_change_seq now records, in the transaction-local setting
 *    racedesk.change_clock_held, the partner whose clock this transaction holds, and the stamp
 *    takes the next number directly while that is the row's partner. The setting follows the
 *    lock exactly: both end with the transaction, and a subtransaction rolled back (a savepoint,
 *    an EXCEPTION block) undoes both, so the next row locks again. A partner that sets the
 *    setting itself only skips locking its own clock, which only its own pulls rely on.
 *    hub_stamp_change pins no search_path, since that costs a save and restore per row; it names
 *    every function, type and operator with its schema instead, so a caller's search_path cannot
 *    redirect any of them.
 * 2. The participant tables' timing_partner_id-only indexes (the seed's) duplicate the leading
 *    column of each table's natural key, (timing_partner_id, <key>) from migration 2, which
 *    serves any lookup by partner as well; every row written paid for one more index.
 */
const partnerOnlyIndexes = [
  'idx_runsignup_participants_timing_partner',
  'idx_ct_participants_timing_partner',
  'idx_raceroster_participants_timing_partner',
  'idx_copernico_participants_timing_partner',
  'idx_haku_participants_timing_partner',
];

export const cheaperWrites: HubMigration = {
  version: 31,
  name: 'cheaper-writes',
  up: /* sql */ `
CREATE OR REPLACE FUNCTION public.hub_next_change_seq(partner INTEGER) RETURNS BIGINT
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM 1 FROM public.hub_change_clock WHERE timing_partner_id = partner FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO public.hub_change_clock (timing_partner_id) VALUES (partner) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM public.hub_change_clock WHERE timing_partner_id = partner FOR UPDATE;
  END IF;
  PERFORM pg_catalog.set_config('racedesk.change_clock_held', partner::text, true);
  RETURN pg_catalog.nextval('public.hub_change_seq');
END $$;

CREATE OR REPLACE FUNCTION public.hub_stamp_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  laptop pg_catalog.text := pg_catalog.current_setting('racedesk.laptop_id', true);
BEGIN
  IF NEW.timing_partner_id IS NULL THEN
    RETURN NEW;
  END IF;
  IF pg_catalog.current_setting('racedesk.change_clock_held', true) OPERATOR(pg_catalog.=) NEW.timing_partner_id::pg_catalog.text THEN
    NEW.change_seq := pg_catalog.nextval('public.hub_change_seq'::pg_catalog.regclass);
  ELSE
    NEW.change_seq := public.hub_next_change_seq(NEW.timing_partner_id);
  END IF;
  NEW.changed_by := CASE WHEN laptop OPERATOR(pg_catalog.=) '' THEN NULL ELSE laptop END;
  RETURN NEW;
END $$;

${partnerOnlyIndexes.map((index) => `DROP INDEX IF EXISTS public.${index};`).join('\n')}
`,
};
