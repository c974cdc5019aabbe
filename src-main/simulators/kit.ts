import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Shared machinery for the provider simulators: local HTTP servers that answer like the real
 * provider APIs (per ../shared/providers/*.md), for tests and demo mode. Each provider writes
 * only its routes; faults (rate limiting, server errors, slowness) are injected here, once.
 */
export interface SimRequest {
  method: string;
  /** Path without query, e.g. "/rest/races". */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Raw body text (form or JSON). */
  body: string;
}

export interface SimResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is already a string, or bytes (sent as they are). */
  body?: unknown;
}

export type SimRoute = (request: SimRequest) => SimResponse | Promise<SimResponse>;

export interface FaultPlan {
  /** The next N requests answer 429 (with Retry-After: 0). */
  rateLimitNext: number;
  /** The next N requests answer 503. */
  serverErrorNext: number;
  /** Delay before every answer, in ms (slow venue network, progress bars). */
  delayMs: number;
  /** Requests whose path matches only are affected by the counters above (null = all). */
  pathFilter: RegExp | null;
}

export interface RunningSimulator {
  /** Base URL including the provider's API prefix, ready for `--base-url`. */
  url: string;
  port: number;
  faults: FaultPlan;
  /** Every request served, in order (method + path + query), for assertions. */
  requests: Array<{ method: string; path: string; query: URLSearchParams; status: number }>;
  /**
   * Called as each request arrives, before it is answered (`requests` logs it once answered): a
   * test sees what the client had done by the time it asked.
   */
  arrivals: Array<(request: SimRequest) => void>;
  close(): Promise<void>;
}

export async function startSimulator(options: {
  route: SimRoute;
  /** Appended to the origin to form `url`, e.g. "/Rest" or "/api". */
  prefix?: string;
  port?: number;
  host?: string;
}): Promise<RunningSimulator> {
  const faults: FaultPlan = { rateLimitNext: 0, serverErrorNext: 0, delayMs: 0, pathFilter: null };
  const requests: RunningSimulator['requests'] = [];
  const arrivals: RunningSimulator['arrivals'] = [];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    for (const arrived of arrivals) arrived(request);
    let answer: SimResponse;
    const affected = faults.pathFilter === null || faults.pathFilter.test(request.path);
    if (faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    if (affected && faults.rateLimitNext > 0) {
      faults.rateLimitNext--;
      answer = { status: 429, headers: { 'retry-after': '0' }, body: { message: 'Too Many Requests' } };
    } else if (affected && faults.serverErrorNext > 0) {
      faults.serverErrorNext--;
      answer = { status: 503, body: { message: 'Service Unavailable' } };
    } else {
      try {
        answer = await options.route(request);
      } catch (error) {
        answer = { status: 500, body: { message: `simulator error: ${(error as Error).message}` } };
      }
    }
    const status = answer.status ?? 200;
    requests.push({ method: request.method, path: request.path, query: request.query, status });
    const body =
      answer.body === undefined ? '' : typeof answer.body === 'string' || answer.body instanceof Uint8Array ? answer.body : JSON.stringify(answer.body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(body);
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}${options.prefix ?? ''}`,
    port,
    faults,
    requests,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function readForm(body: string): URLSearchParams {
  return new URLSearchParams(body);
}
