import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RaceDeskError } from '../../errors.ts';
import type { HttpClient, HttpResponse } from '../http.ts';
import { usableUntil, type AccessToken } from '../oauth-token.ts';
import { runsignupOAuth } from './assumptions.ts';

/*
 * RunSignUp's three ways in (field-check.md §2, R4; runsignup.md §2):
 *   partner key   api_key + api_secret in the query;
 *   "v2" key      rsu_api_key in the query, its secret in the X-RSU-API-SECRET header;
 *   OAuth 2.0     authorization code with PKCE (S256), then Authorization: Bearer; the refresh
 *                 token is the account's secret in the OS keychain, and a rotated one replaces it.
 */
const filled = (what: string) => z.string().trim().min(1, `The RunSignUp ${what} is empty.`);

export const runSignUpSecretSchema = z.union([
  z.object({ api_key: filled('API key'), api_secret: filled('API secret') }),
  z.object({ rsu_api_key: filled('v2 API key'), rsu_api_secret: filled('v2 API secret') }),
  z.object({ oauth_client_id: filled('OAuth client id'), refresh_token: filled('refresh token') }),
]);
export type RunSignUpSecret = z.infer<typeof runSignUpSecretSchema>;

export interface RunSignUpToken extends AccessToken {
  accessToken: string;
  refreshToken: string;
}

/** A PKCE verifier (43 URL-safe characters) and its S256 challenge. */
export function pkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** Where the person approves RaceDesk: on the site of the API base URL (".../Rest" -> ".../Profile/OAuth2/RequestGrant"). */
export function authorizeUrl(baseUrl: string, input: { clientId: string; redirectUri: string; codeChallenge: string; state: string }): string {
  const url = new URL(runsignupOAuth.authorizePath, new URL(baseUrl).origin);
  url.search = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    scope: runsignupOAuth.scope,
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Redeems the code the redirect brought for the first tokens. */
export async function redeemAuthorizationCode(
  http: HttpClient,
  input: { clientId: string; redirectUri: string; code: string; codeVerifier: string },
  signal?: AbortSignal,
): Promise<RunSignUpToken> {
  const form = {
    grant_type: 'authorization_code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    code: input.code,
    code_verifier: input.codeVerifier,
    code_challenge_method: 'S256',
  };
  return tokenFrom(await http.request({ method: 'POST', url: runsignupOAuth.redeemPath, form, signal }), null);
}

/** A fresh access token for a refresh token (RunSignUp may rotate the refresh token too). */
export async function refreshAccessToken(http: HttpClient, clientId: string, refreshToken: string, signal?: AbortSignal): Promise<RunSignUpToken> {
  const form = { grant_type: 'refresh_token', client_id: clientId, scope: runsignupOAuth.scope, refresh_token: refreshToken };
  return tokenFrom(await http.request({ method: 'POST', url: runsignupOAuth.refreshPath, form, signal }), refreshToken);
}

function tokenFrom(response: HttpResponse, previousRefresh: string | null): RunSignUpToken {
  const body = (response.body ?? {}) as Record<string, unknown>;
  if (response.status < 200 || response.status >= 300 || typeof body.access_token !== 'string') {
    // Token errors are a top-level string "error" with error_description / hint (runsignup.md §2c).
    const said = [body.error_description, body.hint, body.message, body.error].find((v) => typeof v === 'string' && v !== '');
    throw new RaceDeskError(
      'auth_failed',
      `RunSignUp refused the sign-in (HTTP ${response.status}${said ? `: ${String(said)}` : ''}). Sign in again (Settings › Provider accounts › Sign in with RunSignUp, or racedesk account oauth runsignup) with the same label: the new sign-in replaces the old one.`,
    );
  }
  const refreshToken = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : previousRefresh;
  if (refreshToken === null) {
    throw new RaceDeskError('auth_failed', 'RunSignUp signed in without a refresh token, so RaceDesk could not stay signed in. Sign in again.');
  }
  return { accessToken: body.access_token, refreshToken, usableUntil: usableUntil(Date.now(), body.expires_in, 3_600_000) };
}
