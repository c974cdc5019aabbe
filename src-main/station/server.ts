import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import type { Core } from '../core/core.ts';
import { dispatch } from '../core/api/dispatch.ts';
import { handlers } from '../core/api/handlers.ts';
import { isLocalOnly, localOnlyRefusal } from '../core/api/local-only.ts';
import type { ApiResult } from '../core/api/contract.ts';
import { loadOrCreateStationToken, tokenMatches, type StationToken } from '../core/station-access/token.ts';
import { markRunning } from '../core/station-access/running.ts';
import { appRoot } from '../core/paths/app-root.ts';

/*
 * The station: the API contract over HTTP for browsers on the venue network (POST
 * /api/call/<name> answers an ApiResult; GET /api/events streams core events as Server-Sent
 * Events; the token comes as a Bearer header or ?token=), plus the built renderer as static files. The same
 * dispatch as the Electron IPC and the CLI, so every check is the core's.
 */
export interface StationOptions {
  core: Core;
  /** 127.0.0.1 unless the crew asks for the venue network (0.0.0.0 or an address). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (electron-vite build); default out/renderer of this checkout. */
  staticDir?: string;
  heartbeatMs?: number;
}

export interface RunningStation {
  /** The address to open, with the token: http://HOST:PORT/?token=TOKEN */
  url: string;
  /** Without the token. */
  origin: string;
  port: number;
  token: StationToken;
  close(): Promise<void>;
}

export const defaultStaticDir = join(appRoot(), 'out', 'renderer');

const maxBodyBytes = 2 * 1024 * 1024;

export async function startStationServer(options: StationOptions): Promise<RunningStation> {
  const { core } = options;
  const token = loadOrCreateStationToken(core.dataDir);
  const staticDir = resolve(options.staticDir ?? defaultStaticDir);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      core.log.error('Station request failed', error);
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: { code: 'internal', message: 'The station could not answer this request.' } });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://station');
    if (!url.pathname.startsWith('/api/')) return serveStatic(request, response);
    if (!tokenMatches(token, presentedToken(request, url))) {
      return sendJson(response, 401, {
        ok: false,
        error: { code: 'unauthorized', message: 'This station needs its token: open the address shown by the station (or scan its QR code in Settings).' },
      });
    }
    const call = /^\/api\/call\/([\w.-]+)$/.exec(url.pathname);
    if (call && request.method === 'POST') return serveCall(call[1], request, response);
    if (url.pathname === '/api/events' && request.method === 'GET') return serveEvents(request, response);
    return sendJson(response, 404, { ok: false, error: { code: 'not_found', message: `No station API at ${request.method} ${url.pathname}.` } });
  }

  async function serveCall(name: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    let input: unknown;
    try {
      const body = await readBody(request);
      input = body.length === 0 ? {} : JSON.parse(body);
    } catch (error) {
      const message = error instanceof BodyTooLarge ? 'The request body is larger than 2 MB.' : 'The request body is not valid JSON.';
      return sendJson(response, 400, { ok: false, error: { code: 'invalid_input', message } });
    }
    if (isLocalOnly(name)) {
      return sendJson(response, 403, {
        ok: false,
        error: { code: 'unauthorized', message: localOnlyRefusal(name) },
      });
    }
    const result = await dispatch(core, name, withStationName(name, input, request));
    sendJson(response, 200, result);
  }

  function serveEvents(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(': connected\n\n');
    streams.add(response);
    const unsubscribe = core.events.onAny((name, payload) => {
      response.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMs);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(response);
    };
    request.on('close', stop);
    response.on('close', stop);
  }

  /*
   * The built renderer through sirv: Vite names every asset by its content hash, so assets are
   * cached for a year (immutable) and index.html, which names the current hashes, is revalidated
   * on every load by its ETag. The build writes .br and .gz beside each file (electron.vite.config.ts),
   * and sirv sends the smallest one the browser accepts. Unknown page paths get index.html (the
   * app routes by its hash). sirv lists the folder once, when the first page is served.
   */
  let serveBuilt: ReturnType<typeof sirv> | undefined;
  function serveStatic(request: IncomingMessage, response: ServerResponse): void {
    if (!serveBuilt) {
      if (!isFile(join(staticDir, 'index.html'))) {
        return sendText(response, 503, 'The RaceDesk screens are not built yet: run `npm run build`, then restart the station.');
      }
      serveBuilt = sirv(staticDir, {
        etag: true,
        gzip: true,
        brotli: true,
        maxAge: 31_536_000,
        immutable: true,
        single: true,
        setHeaders(res, pathname) {
          if (!pathname.startsWith('/assets/')) res.setHeader('Cache-Control', 'no-cache');
          res.setHeader('X-Content-Type-Options', 'nosniff');
          // The first page load carries the token in its address: never send it on as a referrer.
          res.setHeader('Referrer-Policy', 'no-referrer');
        },
        onNoMatch: (_req, res) => sendText(res, 404, 'Not found.'),
      });
    }
    serveBuilt(request, response);
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });

  const address = server.address() as AddressInfo;
  const origin = `http://${advertisedHost(options.host ?? '127.0.0.1')}:${address.port}`;
  const station: RunningStation = {
    url: `${origin}/?token=${encodeURIComponent(token.token)}`,
    origin,
    port: address.port,
    token,
    async close() {
      markRunning(core, undefined);
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  markRunning(core, station);
  return station;
}

function presentedToken(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return url.searchParams.get('token');
}

/**
 * Handlers that record who did something take `stationName`; a browser names its station in the
 * X-RaceDesk-Station header (URI-encoded, as headers are ASCII), and an explicit input wins.
 */
function withStationName(name: string, input: unknown, request: IncomingMessage): unknown {
  const header = request.headers['x-racedesk-station'];
  if (typeof header !== 'string' || header.trim() === '') return input;
  if (input === null || typeof input !== 'object' || Array.isArray(input) || 'stationName' in input) return input;
  const shape = Object.hasOwn(handlers, name) ? (handlers[name as keyof typeof handlers].input as { shape?: Record<string, unknown> }).shape : undefined;
  if (!shape || !('stationName' in shape)) return input;
  let stationName = header.trim();
  try {
    stationName = decodeURIComponent(stationName);
  } catch {
    // Not URI-encoded: use it as sent.
  }
  return { ...input, stationName };
}

/** The address other devices should use: for a wildcard listen, this machine's LAN address. */
function advertisedHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function sendJson(response: ServerResponse, status: number, body: ApiResult<unknown>): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
