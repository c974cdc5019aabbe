import { RaceDeskError } from '../../errors.ts';
import type { HttpClient, HttpResponse } from '../http.ts';
import { OAuthToken, usableUntil } from '../oauth-token.ts';

/*
 * Haku's HTTP conversation (../shared/providers/haku.md §1): an AWS Cognito client-credentials
 * token (HTTP Basic client_id:client_secret, form grant_type=client_credentials), then the token
 * sent RAW in Authorization — no "Bearer " prefix, as Haku's API Gateway authorizer expects.
 * Caching, expiry and the one retry on 401 are ../oauth-token.ts.
 */

export interface HakuSecret {
  client_id: string;
  client_secret: string;
}

const productionApiHost = 'api.hakuapp.com';
const productionTokenUrl = 'https://prod-auth.hakuapp.com/oauth2/token';

/**
 * Haku's tokens come from a separate Cognito domain. Any other base URL (a simulator, a staging
 * host) serves /oauth2/token on its own origin.
 */
export function tokenUrlFor(baseUrl: string): string {
  const url = new URL(baseUrl);
  return url.hostname === productionApiHost ? productionTokenUrl : new URL('/oauth2/token', url.origin).toString();
}

/** Cognito answers {"error": "..."}; API Gateway answers {"message": "..."}. */
export function errorText(response: HttpResponse): string {
  const body = response.body as Record<string, unknown> | undefined;
  const parts = [body?.message, body?.error, body?.error_description].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  return parts.length > 0 ? [...new Set(parts)].join(' / ') : `HTTP ${response.status}`;
}

export class HakuClient {
  private readonly token: OAuthToken<{ value: string; usableUntil: number }>;

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly secret: HakuSecret,
    private readonly accountLabel: string,
    private readonly now: () => number = Date.now,
  ) {
    this.token = new OAuthToken({
      http,
      now,
      obtain: (_expired, signal) => this.obtainToken(signal),
      headers: (token) => ({ authorization: token.value }),
      refusedFreshToken: (response) =>
        new RaceDeskError(
          'auth_failed',
          `Haku refused a fresh access token for account "${this.accountLabel}" (${errorText(response)}). ` +
            "Check that the organization's API client is still active in Haku's developer portal.",
        ),
    });
  }

  get(path: string, query: Record<string, string | number | boolean | undefined>, signal?: AbortSignal): Promise<HttpResponse> {
    return this.token.get(path, query, signal);
  }

  authenticate(signal?: AbortSignal): Promise<void> {
    return this.token.authenticate(signal);
  }

  private async obtainToken(signal?: AbortSignal) {
    const basic = Buffer.from(`${this.secret.client_id}:${this.secret.client_secret}`).toString('base64');
    const response = await this.http.request({
      method: 'POST',
      url: tokenUrlFor(this.baseUrl),
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: 'client_credentials' },
      signal,
    });
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new RaceDeskError(
        'auth_failed',
        `Haku refused the client credentials of account "${this.accountLabel}" (${errorText(response)}). ` +
          "Check client_id and client_secret: they are the API client of the Haku organization whose events you time.",
      );
    }
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (response.status !== 200 || typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new RaceDeskError(
        'provider_error',
        `Haku's token endpoint answered HTTP ${response.status} without an access token (${errorText(response)}).`,
      );
    }
    return { value: body.access_token, usableUntil: usableUntil(this.now(), body.expires_in, 3_600_000) };
  }
}
