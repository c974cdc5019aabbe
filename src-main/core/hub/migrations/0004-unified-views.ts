import type { HubMigration } from './types.ts';

/*
 * This migration created the unified views over all five providers and the venue's own data. They
 * are defined in hub/views.ts now, which migrateHub recreates after every migration; the entry
 * stays because hubs record it in their ledger.
 */
export const unifiedViews: HubMigration = {
  version: 4,
  name: 'unified-views',
  up: '',
};
