import type { Migration } from './types.ts';

/*
 * haku_participants.shirt_size, chip_number, wave and corral now reach the hub (hub migration
 * 0028; store/pushable-tables.ts no longer keeps them local). Rows pushed before went without
 * them, and a re-sync that changes nothing writes no outbox entry: the rows holding any of them
 * are queued once more, so the hub and the other laptops get the values without waiting for the
 * registration to change.
 */
export const hakuPickupFieldsToHub: Migration = {
  version: 170,
  name: 'haku-pickup-fields-to-hub',
  up: /* sql */ `
INSERT INTO hub_outbox (table_name, row_key, op)
SELECT 'haku_participants', json_object('event_id', event_id, 'participant_id', participant_id), 'upsert'
FROM haku_participants
WHERE coalesce(shirt_size, chip_number, wave, corral) IS NOT NULL
ON CONFLICT (table_name, row_key) WHERE batch_id IS NULL DO NOTHING;
`,
};
