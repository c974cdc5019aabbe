import type { HubMigration } from './types.ts';

/*
 * The per-partner change sequence a laptop pulls by (issue 19, hub/pull.ts).
 *
 * Every row of a pulled table carries change_seq, stamped by a BEFORE INSERT OR UPDATE trigger
 * from one hub-wide sequence, and changed_by, the laptop whose push wrote it (push.ts sets
 * racedesk.laptop_id for its transaction), so a laptop need not pull back its own rows.
 *
 * Why no change is ever missed: sequence numbers are handed out in call order, not commit order,
 * so on their own a pull could read 11 while 10 is still uncommitted and never look back. The
 * trigger therefore first locks the partner's row of hub_change_clock, held until the writing
 * transaction ends: a partner's writes take their numbers one transaction after another, and
 * whatever a snapshot shows of a partner is every number up to its highest (a prefix). The lock
 * is behind row-level security, so a partner can neither see nor lock another partner's clock
 * (an advisory lock could be taken by anyone, and would let one partner stall another's pushes).
 *
 * Partners get USAGE on hub_change_seq only (nextval: burning numbers leaves harmless gaps; no
 * setval). change_seq and changed_by need no column grants: a trigger's assignments are not
 * checked against column privileges, and a value a partner writes into them is overwritten.
 *
 * A deleted row leaves a tombstone in hub_deleted_rows (its table, key and a change_seq of its
 * own, from an AFTER DELETE trigger given the table's key columns), so a pull removes it too.
 *
 * Cost on the production hub (10.8 million rows): adding the two columns is instant; numbering
 * the existing partner rows rewrites each table once (done before the triggers exist, so each row
 * is written once); the (timing_partner_id, change_seq) indexes are built once. Rows with no
 * timing partner (from before RaceDesk) are left unnumbered: no partner can read them.
 */
// Frozen: the pulled tables (pushable-tables.ts pulledTables) when this was written; a table added
// there later is stamped by a migration of its own (a test checks every pulled table is).
// Each with its key (the laptops' key, without timing_partner_id).
const stampedTables = [
  { table: 'runsignup_events', key: ['event_id'] },
  { table: 'ct_events', key: ['event_id'] },
  { table: 'raceroster_events', key: ['event_id', 'race_id'] },
  { table: 'copernico_events', key: ['event_id'] },
  { table: 'haku_events', key: ['event_id'] },
  { table: 'runsignup_participants', key: ['registration_id'] },
  { table: 'ct_participants', key: ['entry_id'] },
  { table: 'raceroster_participants', key: ['registration_id'] },
  { table: 'copernico_participants', key: ['event_id', 'participant_id'] },
  { table: 'haku_participants', key: ['event_id', 'participant_id'] },
  { table: 'ct_results', key: ['event_id', 'entry_id'] },
  { table: 'copernico_results', key: ['event_id', 'participant_id'] },
  { table: 'local_participants', key: ['participant_id'] },
  { table: 'participant_changes', key: ['change_id'] },
  { table: 'crew_results', key: ['source_provider', 'event_id', 'participant_id'] },
];

const stamped = ({ table, key }: { table: string; key: string[] }) => `
ALTER TABLE public.${table} ADD COLUMN IF NOT EXISTS change_seq BIGINT;
ALTER TABLE public.${table} ADD COLUMN IF NOT EXISTS changed_by VARCHAR(64);
UPDATE public.${table} SET change_seq = pg_catalog.nextval('public.hub_change_seq') WHERE timing_partner_id IS NOT NULL AND change_seq IS NULL;
CREATE INDEX IF NOT EXISTS ${table}_partner_change_seq ON public.${table} (timing_partner_id, change_seq);
DROP TRIGGER IF EXISTS hub_stamp_change ON public.${table};
CREATE TRIGGER hub_stamp_change BEFORE INSERT OR UPDATE ON public.${table} FOR EACH ROW EXECUTE FUNCTION public.hub_stamp_change();
DROP TRIGGER IF EXISTS hub_record_deletion ON public.${table};
CREATE TRIGGER hub_record_deletion AFTER DELETE ON public.${table} FOR EACH ROW EXECUTE FUNCTION public.hub_record_deletion(${key.map((c) => `'${c}'`).join(', ')});`;

export const pullChangeSequence: HubMigration = {
  version: 27,
  name: 'pull-change-sequence',
  up: /* sql */ `
CREATE SEQUENCE IF NOT EXISTS public.hub_change_seq AS BIGINT;
GRANT USAGE ON SEQUENCE public.hub_change_seq TO racedesk_partner;

CREATE TABLE IF NOT EXISTS public.hub_change_clock (
    timing_partner_id INTEGER PRIMARY KEY REFERENCES public.timing_partners(timing_partner_id)
);
ALTER TABLE public.hub_change_clock ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS partner_rows ON public.hub_change_clock;
CREATE POLICY partner_rows ON public.hub_change_clock
  USING (timing_partner_id = (SELECT public.hub_current_partner_id()))
  WITH CHECK (timing_partner_id = (SELECT public.hub_current_partner_id()));
-- SELECT ... FOR UPDATE needs UPDATE; the first write of a partner made after this migration adds its row.
GRANT SELECT, INSERT, UPDATE ON public.hub_change_clock TO racedesk_partner;
INSERT INTO public.hub_change_clock (timing_partner_id) SELECT timing_partner_id FROM public.timing_partners ON CONFLICT DO NOTHING;

-- The partner's next change number, its clock locked until this transaction ends (see above).
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
  RETURN pg_catalog.nextval('public.hub_change_seq');
END $$;

CREATE OR REPLACE FUNCTION public.hub_stamp_change() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF NEW.timing_partner_id IS NULL THEN
    RETURN NEW;
  END IF;
  NEW.change_seq := public.hub_next_change_seq(NEW.timing_partner_id);
  NEW.changed_by := NULLIF(pg_catalog.current_setting('racedesk.laptop_id', true), '');
  RETURN NEW;
END $$;
CREATE TABLE IF NOT EXISTS public.hub_deleted_rows (
    timing_partner_id INTEGER NOT NULL REFERENCES public.timing_partners(timing_partner_id),
    change_seq BIGINT NOT NULL,
    table_name VARCHAR(100) NOT NULL,
    row_key JSONB NOT NULL,
    changed_by VARCHAR(64),
    deleted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (timing_partner_id, change_seq)
);
CREATE INDEX IF NOT EXISTS hub_deleted_rows_table ON public.hub_deleted_rows (timing_partner_id, table_name, change_seq);
ALTER TABLE public.hub_deleted_rows ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS partner_rows ON public.hub_deleted_rows;
CREATE POLICY partner_rows ON public.hub_deleted_rows
  USING (timing_partner_id = (SELECT public.hub_current_partner_id()))
  WITH CHECK (timing_partner_id = (SELECT public.hub_current_partner_id()));
GRANT SELECT, INSERT ON public.hub_deleted_rows TO racedesk_partner;

CREATE OR REPLACE FUNCTION public.hub_record_deletion() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  old_row jsonb;
  row_key jsonb := '{}';
  k text;
BEGIN
  IF OLD.timing_partner_id IS NULL THEN
    RETURN NULL;
  END IF;
  old_row := to_jsonb(OLD);
  FOREACH k IN ARRAY TG_ARGV LOOP
    row_key := row_key || jsonb_build_object(k, old_row -> k);
  END LOOP;
  INSERT INTO public.hub_deleted_rows (timing_partner_id, change_seq, table_name, row_key, changed_by)
  VALUES (OLD.timing_partner_id, public.hub_next_change_seq(OLD.timing_partner_id), TG_TABLE_NAME, row_key,
          NULLIF(pg_catalog.current_setting('racedesk.laptop_id', true), ''));
  RETURN NULL;
END $$;

${stampedTables.map(stamped).join('\n')}
`,
};
