import { RaceDeskError } from '../../errors.ts';
import type { HttpClient, HttpResponse } from '../http.ts';

/*
 * Haku's HTTP conversation (../shared/providers/haku.md §1): an AWS Cognito client-credentials
 * token (HTTP Basic client_id:client_secret, form grant_type=client_credentials), then the token
 * sent RAW in Authorization — no "Bearer " prefix, as Haku's API Gateway authorizer expects. The
 * token lives only in this object's memory; a 401 leads to exactly one new token.
 */

export interface HakuSecret {
  client_id: string;
  client_secret: string;
}

const productionApiHost = 'api.hakuapp.com';
const productionTokenUrl = 'https://prod-auth.hakuapp.com/oauth2/token';
const expirySafetyMs = 60_000;

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
  private token: { value: string; usableUntil: number } | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly secret: HakuSecret,
    private readonly accountLabel: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(path: string, query: Record<string, string | number | boolean | undefined>, signal?: AbortSignal): Promise<HttpResponse> {
    let response = await this.http.request({ url: path, query, headers: await this.authHeader(signal), signal });
    if (response.status === 401) {
      this.token = null;
      response = await this.http.request({ url: path, query, headers: await this.authHeader(signal), signal });
      if (response.status === 401) {
        throw new RaceDeskError(
          'auth_failed',
          `Haku refused a fresh access token for account "${this.accountLabel}" (${errorText(response)}). ` +
            "Check that the organization's API client is still active in Haku's developer portal.",
        );
      }
    }
    return response;
  }

  async authenticate(signal?: AbortSignal): Promise<void> {
    this.token = null;
    await this.authHeader(signal);
  }

  private async authHeader(signal?: AbortSignal): Promise<Record<string, string>> {
    if (!this.token || this.now() >= this.token.usableUntil) this.token = await this.obtainToken(signal);
    return { authorization: this.token.value };
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
    const expiresIn = Number(body.expires_in);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3_600_000;
    return { value: body.access_token, usableUntil: this.now() + Math.max(lifetimeMs - expirySafetyMs, lifetimeMs / 2) };
  }
}
