import { gunzipSync } from 'node:zlib';
import { RaceDeskError } from '../errors.ts';
import { type RequestBudget, sleep } from './rate-budget.ts';
import { retryDelayMs } from '../sync/backoff.ts';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute URL, or a path joined onto the client's base URL. */
  url: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  signal?: AbortSignal;
  /**
   * For providers that signal throttling in a successful answer (RunSignUp error 14 in an HTTP
   * 200 body): such an answer is backed off and retried exactly like a 429.
   */
  throttled?: (body: unknown) => boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when the body is not JSON. */
  body: unknown;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 30_000 };

export interface HttpClientOptions {
  provider: string;
  baseUrl: string;
  budget: RequestBudget;
  retry?: Partial<RetryPolicy>;
  /** Query parameter names whose values are redacted from every message. */
  secretParams?: readonly string[];
}

/**
 * HTTP for every provider: timeouts, the shared rate budget, and retries with exponential
 * backoff and jitter on 429, 5xx, timeouts and dropped connections. A 429's Retry-After is
 * honoured. Anything else (4xx) is returned to the provider code, which knows its error shapes.
 */
export class HttpClient {
  readonly retry: RetryPolicy;
  /** Secret values this client sent, tokens obtained during the session among them (see sentSecrets). */
  private readonly sent = new Set<string>();

  constructor(private readonly options: HttpClientOptions) {
    this.retry = { ...defaultRetryPolicy, ...options.retry };
  }

  get provider(): string {
    return this.options.provider;
  }

  buildUrl(request: Pick<HttpRequest, 'url' | 'query'>): URL {
    const base = this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`;
    const url = /^https?:\/\//.test(request.url) ? new URL(request.url) : new URL(request.url.replace(/^\//, ''), base);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** The URL with secret parameters masked, for messages and logs. */
  describe(url: URL): string {
    const safe = new URL(url);
    for (const name of this.options.secretParams ?? []) {
      if (safe.searchParams.has(name)) safe.searchParams.set(name, '***');
    }
    safe.username = '';
    safe.password = '';
    return `${safe.origin}${safe.pathname}${safe.search}`;
  }

  /**
   * The secret values this client has sent: secretParams in the query, form or headers, and every
   * Authorization header (a Bearer token obtained at run time is no account field, yet a server
   * that echoes the request shows it). The session masks them in its failures (connect.ts).
   */
  sentSecrets(): string[] {
    return [...this.sent];
  }

  private remember(url: URL, request: HttpRequest): void {
    const secret = new Set((this.options.secretParams ?? []).map((name) => name.toLowerCase()));
    const values = [
      ...[...url.searchParams, ...Object.entries(request.form ?? {})].filter(([name]) => secret.has(name.toLowerCase())).map(([, value]) => value),
      ...Object.entries(request.headers ?? {})
        .filter(([name]) => name.toLowerCase() === 'authorization' || secret.has(name.toLowerCase()))
        .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, '')]),
    ];
    for (const value of values) {
      if (this.sent.has(value)) continue;
      // A session lives for one sync; the cap only guards a client kept for very long.
      if (this.sent.size >= 64) this.sent.delete(this.sent.values().next().value!);
      this.sent.add(value);
    }
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const url = this.buildUrl(request);
    this.remember(url, request);
    const where = `${this.options.provider} ${request.method ?? 'GET'} ${this.describe(url)}`;
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      await this.options.budget.take(request.signal);
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method ?? 'GET',
          headers: {
            accept: 'application/json',
            ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            ...(request.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...request.headers,
          },
          body: request.form
            ? new URLSearchParams(request.form).toString()
            : request.json !== undefined
              ? JSON.stringify(request.json)
              : undefined,
          signal: request.signal
            ? AbortSignal.any([request.signal, AbortSignal.timeout(this.retry.timeoutMs)])
            : AbortSignal.timeout(this.retry.timeoutMs),
        });
      } catch (error) {
        if (request.signal?.aborted) throw new RaceDeskError('cancelled', 'The sync was cancelled.');
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        lastProblem = timedOut ? `no answer within ${this.retry.timeoutMs / 1000} s` : `connection failed (${causeOf(error)})`;
        if (attempt < this.retry.attempts) {
          await sleep(this.backoff(attempt), request.signal);
          continue;
        }
        throw new RaceDeskError('network_error', `${where}: ${lastProblem}, after ${attempt} attempts.`);
      }
      const text = bodyText(new Uint8Array(await response.arrayBuffer()));
      const body = parseJson(text);
      const throttledInBody = response.ok && request.throttled?.(body) === true;
      if (response.status === 429 || response.status >= 500 || throttledInBody) {
        lastProblem = throttledInBody ? 'throttled (in the answer body)' : `HTTP ${response.status}`;
        if (attempt < this.retry.attempts) {
          await sleep(this.retryAfter(response) ?? this.backoff(attempt), request.signal);
          continue;
        }
        throw new RaceDeskError(
          response.status === 429 || throttledInBody ? 'rate_limited' : 'provider_error',
          `${where}: ${lastProblem}, after ${attempt} attempts.`,
        );
      }
      return { status: response.status, headers: response.headers, text, body };
    }
    throw new RaceDeskError('network_error', `${where}: ${lastProblem}.`);
  }

  private backoff(attempt: number): number {
    return retryDelayMs(attempt, { baseMs: this.retry.baseDelayMs, maxMs: this.retry.maxDelayMs });
  }

  private retryAfter(response: Response): number | null {
    const header = response.headers.get('retry-after');
    if (!header) return null;
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    return Number.isFinite(ms) ? Math.max(0, Math.min(ms, this.retry.maxDelayMs)) : null;
  }
}

/**
 * The body as UTF-8 text. Copernico's CDN sometimes sends gzip bytes without Content-Encoding
 * (copernico.md §4.5), which fetch leaves compressed: the gzip magic number gives them away.
 */
function bodyText(bytes: Uint8Array): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return new TextDecoder().decode(gunzipSync(bytes));
    } catch {
      // Not gzip after all: the caller sees a body that is not JSON, as it would anyway.
    }
  }
  return new TextDecoder().decode(bytes);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function causeOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
