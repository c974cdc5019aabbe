import { RaceDeskError } from '../../errors.ts';
import type { HttpClient } from '../http.ts';
import { runsignupErrorCodes } from './assumptions.ts';

import { refreshAccessToken, type RunSignUpSecret, type RunSignUpToken } from './auth.ts';

/** A partner (timer) key: the first of RunSignUp's sign-in forms (auth.ts has all three). */
export interface RunSignUpKey {
  api_key: string;
  api_secret: string;
}

/** RunSignUp's generic error object: {"error": {"error_code": 6, "error_msg": "Key authentication failed"}}. */
interface RunSignUpErrorBody {
  error: { error_code?: unknown; error_msg?: unknown };
}

/** RunSignUp's documented error codes (runsignup.com/Api/ErrorCodes, field check §2 R8). */
const { keyAuthenticationFailed, permissionDenied, requestThrottled, raceNotFound, invalidEventIds } = runsignupErrorCodes;

const codeOf = (body: RunSignUpErrorBody) => Number(body.error.error_code);

/** Error 14 "Request throttled." arrives as HTTP 200: the HTTP layer backs off and retries it like a 429. */
export function isThrottled(body: unknown): boolean {
  return isErrorBody(body) && codeOf(body) === requestThrottled;
}

function isErrorBody(body: unknown): body is RunSignUpErrorBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as RunSignUpErrorBody).error === 'object';
}

/**
 * RunSignUp REST v1 with partner (timer) API-key authentication (runsignup.md §2a): the key and
 * secret travel as query parameters on every call (the HttpClient redacts them from messages),
 * and format=json is always sent because the default answer is XML.
 */
export class RunSignUpClient {
  private token: RunSignUpToken | null = null;

  constructor(
    private readonly http: HttpClient,
    private secret: RunSignUpSecret,
    private readonly saveSecret: (secret: RunSignUpSecret) => Promise<void> = async () => {},
  ) {}

  /** The query parameters and headers that sign a call in, for the account's form of sign-in. */
  private async credentials(signal?: AbortSignal): Promise<{ query: Record<string, string>; headers: Record<string, string> }> {
    const secret = this.secret;
    if ('api_key' in secret) return { query: { api_key: secret.api_key, api_secret: secret.api_secret }, headers: {} };
    if ('rsu_api_key' in secret) return { query: { rsu_api_key: secret.rsu_api_key }, headers: { 'X-RSU-API-SECRET': secret.rsu_api_secret } };
    if (!this.token || Date.now() >= this.token.usableUntil) {
      this.token = await refreshAccessToken(this.http, secret.oauth_client_id, secret.refresh_token, signal);
      if (this.token.refreshToken !== secret.refresh_token) {
        this.secret = { ...secret, refresh_token: this.token.refreshToken };
        await this.saveSecret(this.secret);
      }
    }
    return { query: {}, headers: { authorization: `Bearer ${this.token.accessToken}` } };
  }

  /**
   * GET a method and return its parsed JSON body. RunSignUp reports errors — including refused
   * keys — as HTTP 200 with an {"error": {...}} body, so every answer is checked for that shape.
   */
  get(path: string, query: Record<string, string | number | undefined>, what: string, signal?: AbortSignal): Promise<unknown> {
    return this.call('GET', path, query, undefined, what, signal);
  }

  /**
   * POST a write method (the results API): its fields go as a form, the JSON request as the form
   * field `request` (request_format=json), as RunSignUp's own examples send them (runsignup.md §3.6).
   */
  post(path: string, query: Record<string, string | number | undefined>, form: Record<string, string>, what: string, signal?: AbortSignal): Promise<unknown> {
    return this.call('POST', path, query, form, what, signal);
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string | number | undefined>,
    form: Record<string, string> | undefined,
    what: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const signedIn = async () => {
      const { query: auth, headers } = await this.credentials(signal);
      const request = { method, url: path, query: { ...query, format: 'json', ...auth }, headers, form, signal };
      return { request, response: await this.http.request({ ...request, throttled: isThrottled }) };
    };
    let { request, response } = await signedIn();
    if (response.status === 401 && 'refresh_token' in this.secret) {
      // An access token revoked before its announced expiry: one fresh token, then believe the answer.
      this.token = null;
      ({ request, response } = await signedIn());
    }
    const body = response.body;
    const verb = method === 'GET' ? 'read' : 'change';
    if (isErrorBody(body)) {
      const code = codeOf(body);
      const message = typeof body.error.error_msg === 'string' ? body.error.error_msg : 'no message';
      if (code === keyAuthenticationFailed) {
        throw new RaceDeskError(
          'auth_failed',
          `RunSignUp refused the ${this.what()} (error ${code}: ${message}). ${this.remedy()}`,
        );
      }
      if (code === permissionDenied) {
        throw new RaceDeskError(
          'access_denied',
          `RunSignUp does not let this account ${verb} ${what} (error ${code}: ${message}). Ask the race director to give your timer account access.`,
        );
      }
      if (code === raceNotFound || invalidEventIds.includes(code)) {
        throw new RaceDeskError('not_found', `RunSignUp has no ${what} for this account (error ${code}: ${message}).`);
      }
      // The code and RunSignUp's own words go along, for a caller that reports them per row (result uploads).
      throw new RaceDeskError('provider_error', `RunSignUp could not ${method === 'GET' ? 'give' : 'take'} ${what}: ${message} (error ${String(body.error.error_code)}).`, {
        runsignupError: { code, message },
      });
    }
    if (response.status === 401) {
      throw new RaceDeskError('auth_failed', `RunSignUp refused the ${this.what()} (HTTP 401). ${this.remedy()}`);
    }
    if (response.status === 403) {
      throw new RaceDeskError('access_denied', `RunSignUp does not let this account ${verb} ${what} (HTTP 403).`);
    }
    if (response.status === 404) {
      throw new RaceDeskError('not_found', `RunSignUp has no ${what} (HTTP 404).`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new RaceDeskError(
        'provider_error',
        `RunSignUp answered HTTP ${response.status} for ${what} (${this.http.describe(this.http.buildUrl(request))}).`,
      );
    }
    if (body === undefined) {
      throw new RaceDeskError(
        'provider_error',
        `RunSignUp sent ${what} that is not JSON (it starts "${response.text.slice(0, 60)}").`,
      );
    }
    return body;
  }

  private what(): string {
    if ('api_key' in this.secret) return 'API key and secret';
    if ('rsu_api_key' in this.secret) return 'v2 API key and secret';
    return 'sign-in (OAuth access token)';
  }

  private remedy(): string {
    return 'refresh_token' in this.secret ? 'Sign in again (Settings › Provider accounts › Sign in with RunSignUp, or racedesk account oauth runsignup) with the same label: the new sign-in replaces the old one.' : 'Check them in Settings.';
  }
}
