import type { Migration } from './types.ts';

/*
 * Indexes a bulk load dropped to build once at its end (store/deferred-indexes.ts): an index is
 * either on its table or its definition is here, so a load killed midway leaves it recorded, and
 * the next opening of the database builds it.
 */
export const deferredIndexes: Migration = {
  version: 220,
  name: 'deferred-indexes',
  up: /* sql */ `
CREATE TABLE deferred_indexes (
  name TEXT PRIMARY KEY,
  sql TEXT NOT NULL
) STRICT;
`,
};
