import type { Migration } from './types.ts';
import { searchSources } from './0002-unified-views-and-search.ts';
import { rebuildSearchIndex } from '../search-index.ts';

/*
 * The lookup index is written by its writers (store/search-index.ts), which fold each runner once
 * in JS, instead of by per-row triggers calling rd_fold() and rd_name_key() three or four times a
 * row (and the token triggers splitting the name key again). The delete triggers stay: they fold
 * nothing, and a cascade from a removed event reaches rows no writer sees.
 *
 * Every index of participant_search serves a lookup, pickup or browse query, so none is dropped;
 * the provider tables' own bib and e-mail indexes serve none since lookups moved to
 * participant_search (0002), and each cost a random index insert per synced row: dropped
 * (docs/performance-ingest.md has the EXPLAIN QUERY PLAN of every query).
 *
 * The index is rebuilt from the runners' tables with the writer's own rule, so an existing
 * database holds exactly what a new one would.
 */
export const searchIndexWriter: Migration = {
  version: 200,
  name: 'search-index-writer',
  up: /* sql */ `
${searchSources.map((s) => `DROP TRIGGER ${s.table}_search_insert;\nDROP TRIGGER ${s.table}_search_update;`).join('\n')}
DROP TRIGGER local_participants_search_insert;
DROP TRIGGER local_participants_search_update;
DROP TRIGGER participant_search_tokens_insert;
DROP TRIGGER participant_search_tokens_update;
DROP TRIGGER participant_search_bib_override;
DROP INDEX idx_runsignup_participants_email;
DROP INDEX idx_runsignup_participants_bib;
DROP INDEX idx_ct_participants_bib;
DROP INDEX idx_raceroster_participants_bib;
DROP INDEX idx_copernico_participants_bib;
DROP INDEX idx_haku_participants_bib;
`,
  then: rebuildSearchIndex,
};
