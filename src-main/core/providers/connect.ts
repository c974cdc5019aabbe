import type { Core } from '../core.ts';
import { HttpClient } from './http.ts';
import { SharedRateBudget } from './shared-rate-budget.ts';
import { requestsPerHour } from './request-allowance.ts';
import type { AnyProviderDefinition, Page, ProviderSession } from './types.ts';
import { redactError, redactSecrets, secretForms } from '../credentials/redact.ts';
import { accountKey } from '../credentials/keychain.ts';

/**
 * A provider session for one account, with HTTP bound to the provider's request bucket, shared by
 * every process of this computer. Every failure leaves it with the account's secret masked (credentials/redact.ts): this is the one place
 * that holds both the secret and the provider's error text, before either is stored, sent or printed.
 */
export function connect(
  core: Core,
  definition: AnyProviderDefinition,
  accountLabel: string,
  baseUrl: string,
  secret: unknown,
  // By default a secret the provider replaces during the session goes to the account's keychain entry.
  saveSecret: (secret: Record<string, string>) => Promise<void> = (next) => core.credentials.set(accountKey(definition.name, accountLabel), next),
): ProviderSession {
  const http = new HttpClient({
    provider: definition.displayName,
    baseUrl,
    budget: new SharedRateBudget(core.db, definition.name, requestsPerHour(core.db, definition.name)),
    retry: core.options.httpRetry,
    secretParams: definition.secretParams,
  });
  const session = definition.connect({
    baseUrl,
    secret,
    accountLabel,
    timingPartnerId: core.settings.read().partner?.id ?? null,
    http,
    saveSecret,
  });
  return redacting(session, () => secretForms(secret, http.sentSecrets()));
}

/** Forms are taken when a failure happens, so a token obtained during the session is among them. */
function redacting(session: ProviderSession, forms: () => readonly string[]): ProviderSession {
  const fail = (error: unknown): never => {
    throw redactError(error, forms());
  };
  const { fetchEvents, resultPages, publishResults } = session;
  return {
    verifyCredentials: () => session.verifyCredentials().catch(fail),
    listEvents: (signal, options) => session.listEvents(signal, options).catch(fail),
    ...(fetchEvents ? { fetchEvents: (wanted, signal) => fetchEvents.call(session, wanted, signal).catch(fail) } : {}),
    participantPages: (event, options) => redactingPages(session.participantPages(event, options), forms),
    ...(resultPages ? { resultPages: (event, options) => redactingPages(resultPages.call(session, event, options), forms) } : {}),
    ...(publishResults
      ? {
          publishResults: async (upload) => {
            const outcome = await publishResults.call(session, upload).catch(fail);
            // A rejected row's message is the provider's own text, which may echo the request.
            return { ...outcome, rejected: outcome.rejected.map((row) => ({ ...row, message: redactSecrets(row.message, forms()) })) };
          },
        }
      : {}),
  };
}

async function* redactingPages(pages: AsyncIterable<Page>, forms: () => readonly string[]): AsyncGenerator<Page> {
  try {
    yield* pages;
  } catch (error) {
    throw redactError(error, forms());
  }
}
