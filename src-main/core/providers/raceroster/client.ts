import { RaceDeskError } from '../../errors.ts';
import type { HttpClient, HttpResponse } from '../http.ts';
import { OAuthToken, usableUntil, type AccessToken } from '../oauth-token.ts';

/*
 * Race Roster's HTTP conversation (../shared/providers/raceroster.md §2): an OAuth token from
 * POST /api/oauth/authorize with the unusual grant "access_token" (client id + secret + the
 * organiser's e-mail and password), then `Authorization: Bearer` on every /api/v1 call. A token
 * that ran out is renewed with its refresh token when there is one; caching, expiry and the one
 * retry on 401 are ../oauth-token.ts.
 */

export interface RaceRosterSecret {
  client_id: string;
  client_secret: string;
  username: string;
  password: string;
}

interface Token extends AccessToken {
  accessToken: string;
  refreshToken: string | null;
}

/** The OAuth endpoint sits beside the versioned API: https://raceroster.com/api/v1 -> https://raceroster.com/api/oauth/authorize. */
export function tokenUrlFor(baseUrl: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL('../oauth/authorize', base).toString();
}

/** Both public clients accept the token at top level, under data, or under data as a one-element array. */
function unwrapToken(body: unknown): Record<string, unknown> | null {
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  if (typeof record.access_token === 'string') return record;
  const data = Array.isArray(record.data) ? record.data[0] : record.data;
  if (data && typeof data === 'object' && typeof (data as Record<string, unknown>).access_token === 'string') {
    return data as Record<string, unknown>;
  }
  return null;
}

/** Race Roster's error bodies: `message` on API calls, `error` / `error_description` / `hint` on the token endpoint. */
export function errorText(response: HttpResponse): string {
  const body = response.body as Record<string, unknown> | undefined;
  const parts = [body?.error_description ?? body?.message, body?.error, body?.hint]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim());
  const unique = [...new Set(parts)];
  return unique.length > 0 ? unique.join(' / ') : `HTTP ${response.status}`;
}

export class RaceRosterClient {
  private readonly token: OAuthToken<Token>;

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly secret: RaceRosterSecret,
    private readonly accountLabel: string,
    private readonly now: () => number = Date.now,
  ) {
    this.token = new OAuthToken({
      http,
      now,
      obtain: (expired, signal) => this.obtainToken(expired, signal),
      headers: (token) => ({ authorization: `Bearer ${token.accessToken}` }),
      refusedFreshToken: (response) =>
        new RaceDeskError(
          'auth_failed',
          `Race Roster refused a fresh access token for account "${this.accountLabel}" (${errorText(response)}). ` +
            'Check that the API client is still enabled at https://raceroster.com/dashboard/account/api-settings.',
        ),
    });
  }

  /** GET an /api/v1 path with the Bearer token; 401 -> one re-authentication, then auth_failed. */
  get(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<HttpResponse> {
    return this.token.get(path, query, signal);
  }

  /** Authenticates now (used to check credentials when an account is added). */
  authenticate(signal?: AbortSignal): Promise<void> {
    return this.token.authenticate(signal);
  }

  private async obtainToken(expired: Token | null, signal?: AbortSignal): Promise<Token> {
    const refreshToken = expired?.refreshToken;
    if (refreshToken) {
      const refreshed = await this.requestToken({ grant_type: 'refresh_token', refresh_token: refreshToken }, signal);
      // A refused refresh token is normal (revoked, rotated): fall back to the password grant.
      if (refreshed.ok) return refreshed.token;
    }
    const granted = await this.requestToken(
      { grant_type: 'access_token', username: this.secret.username, password: this.secret.password },
      signal,
    );
    if (granted.ok) return granted.token;
    throw new RaceDeskError(
      'auth_failed',
      `Race Roster refused the credentials of account "${this.accountLabel}" (${granted.problem}). ` +
        'Check client_id and client_secret (Race Roster dashboard > Account > API settings) and the ' +
        'Race Roster e-mail and password in username and password.',
    );
  }

  private async requestToken(
    grant: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ ok: true; token: Token } | { ok: false; problem: string }> {
    const response = await this.http.request({
      method: 'POST',
      url: tokenUrlFor(this.baseUrl),
      form: { ...grant, client_id: this.secret.client_id, client_secret: this.secret.client_secret },
      signal,
    });
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      return { ok: false, problem: errorText(response) };
    }
    const token = response.status === 200 ? unwrapToken(response.body) : null;
    if (!token) {
      throw new RaceDeskError(
        'provider_error',
        `Race Roster's token endpoint answered HTTP ${response.status} without an access token (${errorText(response)}).`,
      );
    }
    return {
      ok: true,
      token: {
        accessToken: token.access_token as string,
        refreshToken: typeof token.refresh_token === 'string' && token.refresh_token ? token.refresh_token : null,
        usableUntil: usableUntil(this.now(), token.expires_in, 86_400_000),
      },
    };
  }
}
