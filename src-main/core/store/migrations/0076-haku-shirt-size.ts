import type { Migration } from './types.ts';

/*
 * haku_participants.shirt_size: the registration detail's shirt_size_name ("Women's Medium"),
 * handed over with the packet (issue 12, item 7). The hub's haku_participants has no column for
 * it yet, so it is local-only in store/pushable-tables.ts.
 */
export const hakuShirtSize: Migration = {
  version: 76,
  name: 'haku-shirt-size',
  up: /* sql */ `
ALTER TABLE haku_participants ADD COLUMN shirt_size TEXT;
`,
};
