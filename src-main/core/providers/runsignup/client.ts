import { RaceDeskError } from '../../errors.ts';
import type { HttpClient } from '../http.ts';
import { runsignupErrorCodes } from './assumptions.ts';

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
  constructor(
    private readonly http: HttpClient,
    private readonly key: RunSignUpKey,
  ) {}

  /**
   * GET a method and return its parsed JSON body. RunSignUp reports errors — including refused
   * keys — as HTTP 200 with an {"error": {...}} body, so every answer is checked for that shape.
   */
  async get(
    path: string,
    query: Record<string, string | number | undefined>,
    what: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const request = { url: path, query: { ...query, format: 'json', api_key: this.key.api_key, api_secret: this.key.api_secret }, signal };
    const response = await this.http.request({ ...request, throttled: isThrottled });
    const body = response.body;
    if (isErrorBody(body)) {
      const code = codeOf(body);
      const message = typeof body.error.error_msg === 'string' ? body.error.error_msg : 'no message';
      if (code === keyAuthenticationFailed) {
        throw new RaceDeskError(
          'auth_failed',
          `RunSignUp refused the API key and secret (error ${code}: ${message}). Check them in Settings.`,
        );
      }
      if (code === permissionDenied) {
        throw new RaceDeskError(
          'access_denied',
          `RunSignUp does not let this account read ${what} (error ${code}: ${message}). Ask the race director to give your timer account access.`,
        );
      }
      if (code === raceNotFound || invalidEventIds.includes(code)) {
        throw new RaceDeskError('not_found', `RunSignUp has no ${what} for this account (error ${code}: ${message}).`);
      }
      throw new RaceDeskError('provider_error', `RunSignUp could not give ${what}: ${message} (error ${String(body.error.error_code)}).`);
    }
    if (response.status === 401) {
      throw new RaceDeskError('auth_failed', `RunSignUp refused the API key and secret (HTTP 401). Check them in Settings.`);
    }
    if (response.status === 403) {
      throw new RaceDeskError('access_denied', `RunSignUp does not let this account read ${what} (HTTP 403).`);
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
}
