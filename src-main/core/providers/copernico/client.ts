import { RaceDeskError } from '../../errors.ts';
import type { HttpClient } from '../http.ts';
import { copernicoAssumptions } from './assumptions.ts';

export interface CopernicoSecret {
  /** Sent as the x-api-key header; tokens differ between production and demo. */
  api_key: string;
  /**
   * A published results preset (copernico.md §4.5): the Copernico login e-mail that owns it and its
   * name. With both set, results come from the public preset export, one call per event.
   */
  preset_login?: string;
  preset_name?: string;
}

/** The rows of a preset export, or why the export could not be used. */
export type PresetAnswer = { rows: unknown[] } | { unavailable: string };

/**
 * Copernico's private REST API (copernico.md): x-api-key on every call, answers wrapped in
 * {result: {code, message?}, data}. Code 0 or 1 is success; anything else is an error even with
 * HTTP 200, so both the status and result.code are checked.
 */
export class CopernicoClient {
  constructor(
    private readonly http: HttpClient,
    private readonly secret: CopernicoSecret,
    private readonly accountLabel: string,
  ) {}

  /** GET and return `data`; `what` names the resource for people ("the athletes of race x"). */
  async get(path: string, what: string, signal?: AbortSignal): Promise<unknown> {
    const response = await this.http.request({ url: path, headers: { 'x-api-key': this.secret.api_key }, signal });
    if (response.status === copernicoAssumptions.badKeyStatus) {
      throw new RaceDeskError(
        'auth_failed',
        `Copernico refused the API key of account "${this.accountLabel}" (HTTP 401). ` +
          'Check the key in Settings, and that it is for this environment (production and demo keys differ).',
      );
    }
    if (response.status === copernicoAssumptions.forbiddenStatus) {
      throw new RaceDeskError(
        'access_denied',
        `Copernico does not let the API key of account "${this.accountLabel}" read ${what} (HTTP 403). ` +
          'Check that the race belongs to the company this key was issued for.',
      );
    }
    if (response.status === 404) {
      throw new RaceDeskError('not_found', `Copernico has no ${what} (HTTP 404): it may have been deleted or renamed.`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new RaceDeskError('provider_error', `Copernico answered HTTP ${response.status} for ${what}.`);
    }
    const body = response.body as { result?: { code?: unknown; message?: unknown }; data?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || typeof body.result !== 'object' || body.result === null) {
      throw new RaceDeskError(
        'provider_error',
        `Copernico sent ${what} without its {result, data} envelope (it starts "${response.text.slice(0, 60)}").`,
      );
    }
    const code = Number(body.result.code);
    if (code !== 0 && code !== 1) {
      const message = typeof body.result.message === 'string' ? body.result.message : 'no message';
      throw new RaceDeskError('provider_error', `Copernico could not give ${what}: ${message} (result code ${String(body.result.code)}).`);
    }
    return body.data;
  }

  /**
   * The public preset export: no key (it goes to another host), a JSON array of flat rows, which
   * some integrators also see wrapped in {data} or {results}. Anything else means the preset
   * cannot serve this event (not published, renamed, over the 6 MB limit) and is answered as
   * `unavailable`, for the caller to read the results another way.
   */
  async preset(url: string, what: string, signal?: AbortSignal): Promise<PresetAnswer> {
    let response;
    try {
      response = await this.http.request({ url, signal });
    } catch (error) {
      if (error instanceof RaceDeskError && (error.code === 'provider_error' || error.code === 'network_error')) {
        return { unavailable: error.message };
      }
      throw error;
    }
    if (response.status < 200 || response.status >= 300) return { unavailable: `HTTP ${response.status} for ${what}` };
    const body = response.body as { data?: unknown; results?: unknown } | unknown[] | undefined;
    const rows = Array.isArray(body) ? body : typeof body === 'object' && body !== null ? (body.data ?? body.results) : undefined;
    if (!Array.isArray(rows)) return { unavailable: `${what} is not a list of rows (it starts "${response.text.slice(0, 60)}")` };
    return { rows };
  }
}
