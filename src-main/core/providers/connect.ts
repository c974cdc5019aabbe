import type { Core } from '../core.ts';
import { HttpClient } from './http.ts';
import { SharedRateBudget } from './shared-rate-budget.ts';
import { requestsPerHour } from './request-allowance.ts';
import type { ProviderDefinition, ProviderSession } from './types.ts';

/** A provider session for one account, with HTTP bound to the provider's bucket shared by every process of this computer. */
export function connect(
  core: Core,
  definition: ProviderDefinition<any>,
  accountLabel: string,
  baseUrl: string,
  secret: unknown,
): ProviderSession {
  const http = new HttpClient({
    provider: definition.displayName,
    baseUrl,
    budget: new SharedRateBudget(core.db, definition.name, requestsPerHour(core.db, definition.name)),
    retry: core.options.httpRetry,
    secretParams: definition.secretParams,
  });
  return definition.connect({
    baseUrl,
    secret,
    accountLabel,
    timingPartnerId: core.settings.read().partner?.id ?? null,
    http,
  });
}
