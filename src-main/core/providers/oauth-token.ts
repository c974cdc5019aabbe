import type { RaceDeskError } from '../errors.ts';
import type { HttpClient, HttpResponse } from './http.ts';

/*
 * The access-token half of an OAuth provider's HTTP conversation (Haku, Race Roster): the token
 * lives only in memory, is replaced a little before it expires, and a 401 on a call leads to
 * exactly one fresh token before the call is given up. Each provider keeps its own grant, header
 * and error wording.
 */

export interface AccessToken {
  /** Epoch ms after which the token is not used any more. */
  usableUntil: number;
}

/** A minute's margin, so a token is not sent in its last seconds (and never less than half its life). */
const expirySafetyMs = 60_000;

/** When a token announced with `expires_in` seconds (or, when that is missing or odd, `defaultLifetimeMs`) stops being used. */
export function usableUntil(now: number, expiresIn: unknown, defaultLifetimeMs: number): number {
  const seconds = Number(expiresIn);
  const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : defaultLifetimeMs;
  return now + Math.max(lifetimeMs - expirySafetyMs, lifetimeMs / 2);
}

export interface OAuthTokenOptions<Token extends AccessToken> {
  http: HttpClient;
  /** Asks the provider for a token; `expired` is the one that ran out, if any (for a refresh grant). */
  obtain(expired: Token | null, signal?: AbortSignal): Promise<Token>;
  /** The request headers that carry the token. */
  headers(token: Token): Record<string, string>;
  /** The error when even a fresh token is refused with 401. */
  refusedFreshToken(response: HttpResponse): RaceDeskError;
  now?: () => number;
}

export class OAuthToken<Token extends AccessToken> {
  private token: Token | null = null;
  private readonly now: () => number;

  constructor(private readonly options: OAuthTokenOptions<Token>) {
    this.now = options.now ?? Date.now;
  }

  /** GET with the token; a 401 means expired or revoked before its announced expiry: one fresh token, then believe the answer. */
  async get(url: string, query: Record<string, string | number | boolean | undefined>, signal?: AbortSignal): Promise<HttpResponse> {
    let response = await this.options.http.request({ url, query, headers: await this.headers(signal), signal });
    if (response.status === 401) {
      this.token = null;
      response = await this.options.http.request({ url, query, headers: await this.headers(signal), signal });
      if (response.status === 401) throw this.options.refusedFreshToken(response);
    }
    return response;
  }

  /** Obtains a token now (used to check credentials when an account is added). */
  async authenticate(signal?: AbortSignal): Promise<void> {
    this.token = null;
    await this.headers(signal);
  }

  private async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    if (!this.token || this.now() >= this.token.usableUntil) this.token = await this.options.obtain(this.token, signal);
    return this.options.headers(this.token);
  }
}
