import { randomBytes } from 'node:crypto';
import type { Core } from '../core.ts';
import { HttpClient } from '../providers/http.ts';
import { SharedRateBudget } from '../providers/shared-rate-budget.ts';
import { requestsPerHour } from '../providers/request-allowance.ts';
import { runsignup } from '../providers/runsignup/definition.ts';
import { authorizeUrl, pkcePair, redeemAuthorizationCode } from '../providers/runsignup/auth.ts';
import { redactError, secretForms } from '../credentials/redact.ts';
import type { ProviderAccount } from '../settings/settings.ts';
import { addAccount } from './accounts.ts';

/*
 * Signing a RunSignUp account in with OAuth 2.0 (authorization code with PKCE): begin gives the
 * page where the person approves RaceDesk and the verifier the shell keeps until the browser comes
 * back to redirectUri with a code; complete redeems the code and adds the account, whose secret is
 * the refresh token (OS keychain). The shell only opens the page and receives the redirect.
 */
export function beginRunSignUpOAuth(input: { clientId: string; redirectUri: string; baseUrl?: string }) {
  const { codeVerifier, codeChallenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const url = authorizeUrl(input.baseUrl ?? runsignup.defaultBaseUrl, { clientId: input.clientId, redirectUri: input.redirectUri, codeChallenge, state });
  return { authorizeUrl: url, codeVerifier, state };
}

export async function completeRunSignUpOAuth(
  core: Core,
  input: { label: string; clientId: string; redirectUri: string; code: string; codeVerifier: string; baseUrl?: string },
): Promise<ProviderAccount> {
  const http = new HttpClient({
    provider: runsignup.displayName,
    baseUrl: input.baseUrl ?? runsignup.defaultBaseUrl,
    budget: new SharedRateBudget(core.db, runsignup.name, requestsPerHour(core.db, runsignup.name)),
    retry: core.options.httpRetry,
    secretParams: runsignup.secretParams,
  });
  let token;
  try {
    token = await redeemAuthorizationCode(http, input);
  } catch (error) {
    throw redactError(error, secretForms({ code: input.code, verifier: input.codeVerifier }, http.sentSecrets()));
  }
  return addAccount(core, {
    provider: runsignup.name,
    label: input.label,
    ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
    secret: { oauth_client_id: input.clientId, refresh_token: token.refreshToken },
  });
}
