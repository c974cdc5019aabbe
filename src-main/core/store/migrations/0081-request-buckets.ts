import type { Migration } from './types.ts';

/*
 * The request allowance's token bucket per provider, shared by every process over this data
 * folder (providers/shared-rate-budget.ts). Laptop-only. updated_ms is epoch milliseconds: the
 * bucket refills with wall-clock time, which all processes of one computer share.
 */
export const requestBuckets: Migration = {
  version: 81,
  name: 'request-buckets',
  up: /* sql */ `
CREATE TABLE request_buckets (
  provider_name TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  updated_ms INTEGER NOT NULL
) STRICT;
`,
};
