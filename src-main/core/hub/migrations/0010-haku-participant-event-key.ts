import type { HubMigration } from './types.ts';

/*
 * Laptops now key Haku participants by (event_id, participant_id) (local migration 0082), because
 * registration numbers repeat across events, and push them with ON CONFLICT (timing_partner_id,
 * event_id, participant_id). That needs a unique index on exactly those columns, and the old
 * per-partner key on participant_id alone (migration 0002) must go, or a second event's runner
 * with the same number is refused. Only that old index is dropped, and only while it still has
 * its old columns: the hub migrations that key every table by partner may have replaced it.
 */
export const hakuParticipantEventKey: HubMigration = {
  version: 10,
  name: 'haku-participant-event-key',
  up: /* sql */ `
CREATE UNIQUE INDEX IF NOT EXISTS haku_participants_event_key ON haku_participants (timing_partner_id, event_id, participant_id);
DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname = 'haku_participants_natural_key' AND i.indrelid = 'haku_participants'::regclass
      AND (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) = ARRAY['timing_partner_id', 'participant_id']
  ) THEN
    DROP INDEX haku_participants_natural_key;
  END IF;
END $$;
`,
};
