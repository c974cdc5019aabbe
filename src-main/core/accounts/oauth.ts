import { randomBytes } from 'node:crypto';
import type { Core } from '../core.ts';
import { HttpClient } from '../providers/http.ts';
import { SharedRateBudget } from '../providers/shared-rate-budget.ts';
import { requestsPerHour } from '../providers/request-allowance.ts';
import { runsignup } from '../providers/runsignup/definition.ts';
import { authorizeUrl, pkcePair, redeemAuthorizationCode } from '../providers/runsignup/auth.ts';
import { runsignupOAuth } from '../providers/runsignup/assumptions.ts';
import { RaceDeskError } from '../errors.ts';
import { redactError, secretForms } from '../credentials/redact.ts';
import type { ProviderAccount } from '../settings/settings.ts';
import { addAccount } from './accounts.ts';

/*
 * Signing a RunSignUp account in with OAuth 2.0 (authorization code with PKCE): begin gives the
 * page where the person approves RaceDesk and the verifier the shell keeps until the browser comes
 * back to redirectUri with a code; complete redeems the code and adds the account, whose secret is
 * the refresh token (OS keychain). The shell only opens the page and receives the redirect.
 */
export function beginRunSignUpOAuth(input: { clientId: string; redirectUri?: string; baseUrl?: string }) {
  const { codeVerifier, codeChallenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const redirectUri = input.redirectUri ?? runsignupOAuth.defaultRedirectUri;
  const url = authorizeUrl(input.baseUrl ?? runsignup.defaultBaseUrl, { clientId: input.clientId, redirectUri, codeChallenge, state });
  return { authorizeUrl: url, redirectUri, codeVerifier, state };
}

/**
 * The code out of what the person pasted: the code itself, or the whole address the browser was
 * sent back to (which must carry the sign-in's own `state`, so an address from another sign-in is
 * not redeemed by mistake, and may carry RunSignUp's refusal instead of a code).
 */
export function authorizationCode(pasted: string, expectedState?: string): string {
  const text = pasted.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (text === '' || /\s/.test(text)) throw new RaceDeskError('invalid_input', 'Paste the code RunSignUp gave, or the whole address the browser was sent to after approving RaceDesk.');
    return text;
  }
  const back = new URL(text).searchParams;
  const refused = back.get('error');
  if (refused !== null) {
    const why = back.get('error_description') || refused;
    throw new RaceDeskError('auth_failed', `RunSignUp did not sign RaceDesk in (${why}). Start the sign-in again and approve RaceDesk on RunSignUp's page.`);
  }
  const code = back.get('code');
  if (!code) throw new RaceDeskError('invalid_input', 'The pasted address has no code= in it. Paste the address the browser shows after you approved RaceDesk on RunSignUp.');
  if (expectedState !== undefined && back.get('state') !== expectedState) {
    throw new RaceDeskError('invalid_input', 'The pasted address belongs to another sign-in (its state does not match). Paste the address from the page this sign-in opened, or start again.');
  }
  return code;
}

export async function completeRunSignUpOAuth(
  core: Core,
  input: { label: string; clientId: string; redirectUri?: string; code: string; state?: string; codeVerifier: string; baseUrl?: string },
): Promise<ProviderAccount> {
  const code = authorizationCode(input.code, input.state);
  const redirectUri = input.redirectUri ?? runsignupOAuth.defaultRedirectUri;
  const http = new HttpClient({
    provider: runsignup.displayName,
    baseUrl: input.baseUrl ?? runsignup.defaultBaseUrl,
    budget: new SharedRateBudget(core.db, runsignup.name, requestsPerHour(core.db, runsignup.name)),
    retry: core.options.httpRetry,
    secretParams: runsignup.secretParams,
  });
  let token;
  try {
    token = await redeemAuthorizationCode(http, { ...input, code, redirectUri });
  } catch (error) {
    throw redactError(error, secretForms({ code, verifier: input.codeVerifier }, http.sentSecrets()));
  }
  return addAccount(core, {
    provider: runsignup.name,
    label: input.label,
    ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
    secret: { oauth_client_id: input.clientId, refresh_token: token.refreshToken },
  });
}
