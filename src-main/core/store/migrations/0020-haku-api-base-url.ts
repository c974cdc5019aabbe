import type { Migration } from './types.ts';

/*
 * Haku's API has no "/api/v3" prefix: the seed row in 0001 carried a guess. The only evidence
 * (an integrator's adapter checked against Haku's partner spec, ../shared/providers/haku.md §1)
 * calls https://api.hakuapp.com directly, and the Haku provider's defaultBaseUrl says the same.
 * A row a partner has edited is left alone.
 */
export const hakuApiBaseUrl: Migration = {
  version: 20,
  name: 'haku-api-base-url',
  up: /* sql */ `
UPDATE providers SET api_base_url = 'https://api.hakuapp.com'
WHERE provider_name = 'haku' AND api_base_url = 'https://api.hakuapp.com/api/v3';
`,
};
