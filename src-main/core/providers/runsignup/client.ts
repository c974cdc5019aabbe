import { RaceDeskError } from '../../errors.ts';
import type { HttpClient } from '../http.ts';

export interface RunSignUpKey {
  api_key: string;
  api_secret: string;
}

/** RunSignUp's generic error object: {"error": {"error_code": 6, "error_msg": "Key authentication failed"}}. */
interface RunSignUpErrorBody {
  error: { error_code?: unknown; error_msg?: unknown };
}

/** Key authentication failed: the only error code whose meaning is confirmed (official app, PikaTimer). */
export const keyAuthenticationFailed = 6;

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
    const response = await this.http.request(request);
    const body = response.body;
    if (isErrorBody(body)) {
      const code = body.error.error_code;
      const message = typeof body.error.error_msg === 'string' ? body.error.error_msg : 'no message';
      if (code === keyAuthenticationFailed || code === String(keyAuthenticationFailed)) {
        throw new RaceDeskError(
          'auth_failed',
          `RunSignUp refused the API key and secret (error ${code}: ${message}). Check them in Settings.`,
        );
      }
      throw new RaceDeskError('provider_error', `RunSignUp could not give ${what}: ${message} (error ${String(code)}).`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new RaceDeskError(
        'auth_failed',
        `RunSignUp refused the API key and secret (HTTP ${response.status}). Check them in Settings.`,
      );
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
