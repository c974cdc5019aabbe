import type { HubMigration } from './types.ts';

/*
 * A ChronoTrack result's status comes from its entry's entry_status (hub/views.ts). Joining every
 * result to ct_participants made unified_results read the partner's participants for any event's
 * results; the entry's status is now copied onto the result when either is written, so the view
 * reads one table.
 *
 * ct_results.participant_status is always what the join gave: the entry_status of the partner's
 * ct_participants row with the result's entry_id, or NULL. The BEFORE trigger is its one
 * definition: it sets the value on every insert, and on every update of the columns it depends on
 * (a value a partner writes is overwritten, as change_seq is). A write to ct_participants that can
 * change it (an entry added or removed, its status, key or partner changed) re-runs it for the
 * entry's results, once per statement, so a push of unchanged entries updates no result.
 * Partners get UPDATE on the column for that statement, which runs with their rights.
 *
 * The trigger runs for writes whatever their source, so the admin's own rows keep the rule too.
 * Cost on the production hub: one rewrite of ct_results (7.6 million rows) to fill the column,
 * with the change-sequence trigger off so no laptop pulls them again, and one index build.
 */
export const chronotrackResultStatus: HubMigration = {
  version: 30,
  name: 'chronotrack-result-status',
  up: /* sql */ `
ALTER TABLE public.ct_results ADD COLUMN IF NOT EXISTS participant_status VARCHAR(50);
GRANT UPDATE (participant_status) ON public.ct_results TO racedesk_partner;
-- The entry's results, by the key the view joined on.
CREATE INDEX IF NOT EXISTS ct_results_partner_entry ON public.ct_results (timing_partner_id, entry_id);

ALTER TABLE public.ct_results DISABLE TRIGGER hub_stamp_change;
UPDATE public.ct_results r SET participant_status = p.entry_status
FROM public.ct_participants p
WHERE p.timing_partner_id = r.timing_partner_id AND p.entry_id = r.entry_id AND p.entry_status IS NOT NULL;
ALTER TABLE public.ct_results ENABLE TRIGGER hub_stamp_change;

CREATE OR REPLACE FUNCTION public.hub_ct_result_participant_status() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  NEW.participant_status := (SELECT p.entry_status FROM public.ct_participants p
                             WHERE p.timing_partner_id = NEW.timing_partner_id AND p.entry_id = NEW.entry_id);
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS hub_participant_status ON public.ct_results;
CREATE TRIGGER hub_participant_status BEFORE INSERT OR UPDATE OF participant_status, entry_id, timing_partner_id ON public.ct_results
  FOR EACH ROW EXECUTE FUNCTION public.hub_ct_result_participant_status();

CREATE OR REPLACE FUNCTION public.hub_ct_entries_changed() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  -- SET participant_status = NULL: hub_participant_status, fired by it, sets the entry's status.
  IF TG_OP = 'INSERT' THEN
    UPDATE public.ct_results r SET participant_status = NULL
    FROM (SELECT DISTINCT timing_partner_id, entry_id FROM new_entries) c
    WHERE r.timing_partner_id = c.timing_partner_id AND r.entry_id = c.entry_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE public.ct_results r SET participant_status = NULL
    FROM (SELECT DISTINCT timing_partner_id, entry_id FROM old_entries) c
    WHERE r.timing_partner_id = c.timing_partner_id AND r.entry_id = c.entry_id;
  ELSE
    -- An entry whose key and status are unchanged leaves both sides of the EXCEPTs.
    UPDATE public.ct_results r SET participant_status = NULL
    FROM (
      SELECT timing_partner_id, entry_id FROM (
        (SELECT timing_partner_id, entry_id, entry_status FROM new_entries
         EXCEPT SELECT timing_partner_id, entry_id, entry_status FROM old_entries)
        UNION
        (SELECT timing_partner_id, entry_id, entry_status FROM old_entries
         EXCEPT SELECT timing_partner_id, entry_id, entry_status FROM new_entries)
      ) changed GROUP BY timing_partner_id, entry_id
    ) c
    WHERE r.timing_partner_id = c.timing_partner_id AND r.entry_id = c.entry_id;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS hub_entries_added ON public.ct_participants;
CREATE TRIGGER hub_entries_added AFTER INSERT ON public.ct_participants
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION public.hub_ct_entries_changed();
DROP TRIGGER IF EXISTS hub_entries_changed ON public.ct_participants;
CREATE TRIGGER hub_entries_changed AFTER UPDATE ON public.ct_participants
  REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION public.hub_ct_entries_changed();
DROP TRIGGER IF EXISTS hub_entries_removed ON public.ct_participants;
CREATE TRIGGER hub_entries_removed AFTER DELETE ON public.ct_participants
  REFERENCING OLD TABLE AS old_entries FOR EACH STATEMENT EXECUTE FUNCTION public.hub_ct_entries_changed();
`,
};
