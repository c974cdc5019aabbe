import { HttpClient } from '../../src-main/core/providers/http.ts';
import { RateBudget } from '../../src-main/core/providers/rate-budget.ts';
import { setRequestsPerHour } from '../../src-main/core/providers/request-allowance.ts';
import type { Page, ProviderDefinition, ProviderName, ProviderSession } from '../../src-main/core/providers/types.ts';
import { RaceDeskError } from '../../src-main/core/errors.ts';
import { call, createTestCore, type TestCore } from './core.ts';

/**
 * A provider session against a simulator, over a real HttpClient with no rate waiting and a
 * backoff of milliseconds, so fault-injection tests retry without slowing the suite.
 */
export function connectSession<Secret>(
  definition: ProviderDefinition<Secret>,
  context: { baseUrl: string; secret: Secret; accountLabel: string; timingPartnerId?: number | null },
): ProviderSession {
  const http = new HttpClient({
    provider: definition.displayName,
    baseUrl: context.baseUrl,
    budget: new RateBudget(1_000_000),
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5_000 },
    secretParams: definition.secretParams,
  });
  return definition.connect({ ...context, timingPartnerId: context.timingPartnerId ?? null, http });
}

export async function collectPages(pages: AsyncIterable<Page>): Promise<Page[]> {
  const all: Page[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** The RaceDeskError a promise rejects with; anything else (or no failure) fails the test. */
export async function raceDeskFailure(promise: Promise<unknown>): Promise<RaceDeskError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RaceDeskError) return error;
    throw error;
  }
  throw new Error('expected a RaceDeskError');
}

/**
 * A test core with a timing partner and one account of `provider` pointing at a simulator, added
 * through the API like a person would (credentials checked, secret in the OS keychain).
 */
export async function coreWithAccount(options: {
  provider: ProviderName;
  label: string;
  baseUrl: string;
  secret: Record<string, string>;
  partner?: { id: number; name: string };
  /**
   * A negotiated allowance instead of the provider's default budget: these tests make many
   * requests in a few seconds, and none of them is about the rate budget.
   */
  unlimitedRate?: boolean;
}): Promise<TestCore> {
  const core = createTestCore();
  try {
    if (options.unlimitedRate) {
      setRequestsPerHour(core.db, options.provider, 1_000_000);
    }
    await call(core, 'partner.set', options.partner ?? { id: 7, name: 'Maple Timing Co.' });
    await call(core, 'accounts.add', { provider: options.provider, label: options.label, baseUrl: options.baseUrl, secret: options.secret });
    return core;
  } catch (error) {
    core.cleanup();
    throw error;
  }
}
