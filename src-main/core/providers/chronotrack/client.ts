import { createHash } from 'node:crypto';
import { RaceDeskError } from '../../errors.ts';
import type { HttpClient } from '../http.ts';
import { chronotrackAssumptions } from './assumptions.ts';

export interface ChronotrackSecret {
  /** The application key ChronoTrack issues (8 hex characters in public examples). */
  client_id: string;
  /** The ChronoTrack Live login, usually an e-mail address. */
  username: string;
  password: string;
}

/** What "simple" auth sends as user_pass: the lower-case SHA-1 hex digest of the password. */
export function sha1Hex(password: string): string {
  return createHash('sha1').update(password, 'utf8').digest('hex');
}

export interface CollectionPage {
  items: unknown[];
  page: number;
  /** From X-Ctlive-Page-Count; null when the header is missing. */
  pageCount: number | null;
}

/**
 * ChronoTrack Live's Open Platform API (chronotrack.md): client_id on every call, format=json,
 * bodies wrapped in one key named after the resource ("event", "event_entry", ...), paging only
 * in X-Ctlive-* response headers.
 */
export class ChronotrackClient {
  constructor(
    private readonly http: HttpClient,
    private readonly secret: ChronotrackSecret,
    private readonly accountLabel: string,
  ) {}

  private authQuery(): Record<string, string> {
    if (chronotrackAssumptions.authMode === 'basic') return { client_id: this.secret.client_id };
    return { client_id: this.secret.client_id, user_id: this.secret.username, user_pass: sha1Hex(this.secret.password) };
  }

  private authHeaders(): Record<string, string> {
    if (chronotrackAssumptions.authMode !== 'basic') return {};
    const token = Buffer.from(`${this.secret.username}:${this.secret.password}`, 'utf8').toString('base64');
    return { authorization: `Basic ${token}` };
  }

  /** GET one resource; `what` names it for people ("the entries of event 90412"). */
  async get(
    path: string,
    query: Record<string, string | number | undefined>,
    what: string,
    signal?: AbortSignal,
  ): Promise<{ body: Record<string, unknown>; headers: Headers }> {
    const request = { url: path, query: { ...query, format: 'json', ...this.authQuery() }, headers: this.authHeaders(), signal };
    const response = await this.http.request(request);
    if (chronotrackAssumptions.authFailureStatuses.includes(response.status)) {
      throw new RaceDeskError(
        'auth_failed',
        `ChronoTrack refused the credentials of account "${this.accountLabel}" (HTTP ${response.status}). ` +
          'Check the client ID (the application key ChronoTrack issued), the ChronoTrack Live login and the password.',
      );
    }
    if (response.status === chronotrackAssumptions.forbiddenStatus) {
      throw new RaceDeskError('access_denied', `ChronoTrack does not let account "${this.accountLabel}" read ${what} (HTTP 403).`);
    }
    if (response.status === 404) {
      throw new RaceDeskError('not_found', `ChronoTrack has no ${what} (HTTP 404): it may have been deleted, or this account cannot see it.`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new RaceDeskError(
        'provider_error',
        `ChronoTrack answered HTTP ${response.status} for ${what} (${this.http.describe(this.http.buildUrl(request))}).`,
      );
    }
    const body = response.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RaceDeskError('provider_error', `ChronoTrack sent ${what} that is not a JSON object (it starts "${response.text.slice(0, 60)}").`);
    }
    return { body: body as Record<string, unknown>, headers: response.headers };
  }

  /**
   * Every page of a collection, page = 1..X-Ctlive-Page-Count. When the header is missing the
   * loop stops at the first short page, as real clients do.
   */
  async *pages(
    path: string,
    wrapperKey: string,
    query: Record<string, string | number | undefined>,
    what: string,
    signal?: AbortSignal,
  ): AsyncGenerator<CollectionPage> {
    const size = chronotrackAssumptions.pageSize;
    for (let page = 1; ; page++) {
      const { body, headers } = await this.get(path, { ...query, page, size }, `${what} (page ${page})`, signal);
      const items = body[wrapperKey];
      if (!Array.isArray(items)) {
        throw new RaceDeskError(
          'provider_error',
          `ChronoTrack sent ${what}, page ${page}, without the "${wrapperKey}" list (keys: ${Object.keys(body).slice(0, 5).join(', ') || 'none'}).`,
        );
      }
      const pageCount = headerNumber(headers, 'x-ctlive-page-count');
      yield { items, page, pageCount };
      const last = pageCount !== null ? page >= pageCount : items.length < size;
      if (last || items.length === 0) return;
    }
  }
}

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}
