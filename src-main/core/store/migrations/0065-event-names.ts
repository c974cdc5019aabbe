import type { Migration } from './types.ts';

/*
 * This migration created event_rows, event_titles and event_ids: how every screen names and
 * counts events. They are defined in store/views.ts now, which migrate() recreates after every
 * migration; the entry stays because databases record it in their ledger.
 */
export const eventNames: Migration = {
  version: 65,
  name: 'event-names',
  up: '',
};
