import { RaceDeskError } from '../../errors.ts';
import type { HttpClient, HttpResponse } from '../http.ts';

/*
 * Race Roster's HTTP conversation (../shared/providers/raceroster.md §2): an OAuth token from
 * POST /api/oauth/authorize with the unusual grant "access_token" (client id + secret + the
 * organiser's e-mail and password), then `Authorization: Bearer` on every /api/v1 call. The
 * token lives only in this object's memory; it is refreshed before it expires, and a 401 leads
 * to exactly one fresh authentication before the call is given up.
 */

export interface RaceRosterSecret {
  client_id: string;
  client_secret: string;
  username: string;
  password: string;
}

interface Token {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms after which the token is not used any more (a minute before its real expiry). */
  usableUntil: number;
}

const expirySafetyMs = 60_000;

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
  private token: Token | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly secret: RaceRosterSecret,
    private readonly accountLabel: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** GET an /api/v1 path with the Bearer token; 401 -> one re-authentication, then auth_failed. */
  async get(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<HttpResponse> {
    let response = await this.http.request({ url: path, query, headers: await this.authHeader(signal), signal });
    if (response.status === 401) {
      // Expired or revoked before its announced expiry: authenticate once more, then believe the answer.
      this.token = null;
      response = await this.http.request({ url: path, query, headers: await this.authHeader(signal), signal });
      if (response.status === 401) {
        throw new RaceDeskError(
          'auth_failed',
          `Race Roster refused a fresh access token for account "${this.accountLabel}" (${errorText(response)}). ` +
            'Check that the API client is still enabled at https://raceroster.com/dashboard/account/api-settings.',
        );
      }
    }
    return response;
  }

  /** Authenticates now (used to check credentials when an account is added). */
  async authenticate(signal?: AbortSignal): Promise<void> {
    this.token = null;
    await this.authHeader(signal);
  }

  private async authHeader(signal?: AbortSignal): Promise<Record<string, string>> {
    if (!this.token || this.now() >= this.token.usableUntil) this.token = await this.obtainToken(signal);
    return { authorization: `Bearer ${this.token.accessToken}` };
  }

  private async obtainToken(signal?: AbortSignal): Promise<Token> {
    const refreshToken = this.token?.refreshToken;
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
    const expiresIn = Number(token.expires_in);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 86_400_000;
    return {
      ok: true,
      token: {
        accessToken: token.access_token as string,
        refreshToken: typeof token.refresh_token === 'string' && token.refresh_token ? token.refresh_token : null,
        usableUntil: this.now() + Math.max(lifetimeMs - expirySafetyMs, lifetimeMs / 2),
      },
    };
  }
}
