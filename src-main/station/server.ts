import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { randomBytes } from 'node:crypto';
import type { Core } from '../core/core.ts';
import { dispatch } from '../core/api/dispatch.ts';
import type { ApiResult } from '../core/api/contract.ts';
import { toErrorPayload } from '../core/errors.ts';
import { markRunning } from '../core/station-access/running.ts';
import { stationAddress } from '../core/station-access/address.ts';
import { currentVenueCode, deviceForToken, listDevices, pairDevice, type JoinedDevice } from '../core/station-access/devices.ts';
import { appRoot } from '../core/paths/app-root.ts';

/*
 * The station: the API contract over HTTP for browsers on the venue network, plus the built
 * renderer as static files. The same dispatch as the Electron IPC and the CLI, so every check is
 * the core's; this shell only says who is calling:
 * - POST /api/pair {code, deviceName}: a one-time pairing code for the device's own token;
 * - POST /api/call/<name> with `Authorization: Bearer <device token>` (never in the address,
 *   where it would end up in logs, history and screenshots) answers an ApiResult;
 * - POST /api/stream-ticket gives a ticket valid for a minute, with which GET
 *   /api/events?ticket= streams core events (EventSource cannot send headers).
 * Requests naming a foreign Host or Origin are refused, so a web page elsewhere cannot reach the
 * station through the browser of a device that joined it (DNS rebinding, cross-site requests).
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
  /** The address another device opens to join (with a one-time venue pairing code): http://HOST:PORT/?pair=CODE */
  url: string;
  /** Without the code; the LAN address when listening on every network. */
  origin: string;
  host: string;
  port: number;
  /** The pairing code in `url`, to type on a device that cannot scan. */
  shortCode: string;
  /** Set when other devices cannot reach this station (bound to loopback), in plain words. */
  notice: string | null;
  close(): Promise<void>;
}

export const defaultStaticDir = join(appRoot(), 'out', 'renderer');

const maxBodyBytes = 2 * 1024 * 1024;
const ticketLifetimeMs = 60_000;

interface Stream {
  deviceId: string;
  /** Stops listening and ends the response. */
  end(): void;
}

export async function startStationServer(options: StationOptions): Promise<RunningStation> {
  const { core } = options;
  const host = options.host ?? '127.0.0.1';
  const staticDir = resolve(options.staticDir ?? defaultStaticDir);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Set<Stream>();
  const tickets = new Map<string, { deviceId: string; expires: number }>();
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      core.log.error('Station request failed', error);
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: { code: 'internal', message: 'The station could not answer this request.' } });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const foreign = foreignRequest(request, host, port);
    if (foreign) return sendJson(response, 403, { ok: false, error: { code: 'forbidden', message: foreign } });
    const url = new URL(request.url ?? '/', 'http://station');
    if (!url.pathname.startsWith('/api/')) return serveStatic(request, response);
    if (url.pathname === '/api/pair' && request.method === 'POST') return servePairing(request, response);
    if (url.pathname === '/api/events' && request.method === 'GET') return serveEvents(url, request, response);
    const device = authenticated(request);
    if (!device) {
      return sendJson(response, 401, {
        ok: false,
        error: { code: 'unauthorized', message: 'This device has not joined the station, or the station removed it. Scan the QR code on the station laptop (Settings › Station) or type its pairing code.' },
      });
    }
    const call = /^\/api\/call\/([\w.-]+)$/.exec(url.pathname);
    if (call && request.method === 'POST') return serveCall(call[1], device, request, response);
    if (url.pathname === '/api/stream-ticket' && request.method === 'POST') {
      const ticket = randomBytes(24).toString('base64url');
      const now = Date.now();
      for (const [key, entry] of tickets) if (entry.expires < now) tickets.delete(key);
      tickets.set(ticket, { deviceId: device.deviceId, expires: now + ticketLifetimeMs });
      return sendJson(response, 200, { ok: true, value: { ticket } });
    }
    return sendJson(response, 404, { ok: false, error: { code: 'not_found', message: `No station API at ${request.method} ${url.pathname}.` } });
  }

  function authenticated(request: IncomingMessage): JoinedDevice | undefined {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    return deviceForToken(core.db, header.slice('Bearer '.length).trim());
  }

  async function readJson(request: IncomingMessage, response: ServerResponse): Promise<{ value: unknown } | undefined> {
    try {
      const body = await readBody(request);
      return { value: body.length === 0 ? {} : JSON.parse(body) };
    } catch (error) {
      const message = error instanceof BodyTooLarge ? 'The request body is larger than 2 MB.' : 'The request body is not valid JSON.';
      sendJson(response, 400, { ok: false, error: { code: 'invalid_input', message } });
      return undefined;
    }
  }

  async function servePairing(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJson(request, response);
    if (!body) return;
    const { code, deviceName } = (body.value ?? {}) as { code?: unknown; deviceName?: unknown };
    if (typeof code !== 'string' || typeof deviceName !== 'string') {
      return sendJson(response, 400, { ok: false, error: { code: 'invalid_input', message: 'Send {"code": the pairing code, "deviceName": a name for this device}.' } });
    }
    try {
      const paired = pairDevice(core, { code, deviceName, remoteAddress: request.socket.remoteAddress ?? 'unknown' });
      sendJson(response, 200, { ok: true, value: { token: paired.token, role: paired.device.role, name: paired.device.name } });
    } catch (error) {
      const payload = toErrorPayload(error);
      sendJson(response, payload.code === 'rate_limited' ? 429 : payload.code === 'invalid_input' ? 400 : 401, { ok: false, error: payload });
    }
  }

  async function serveCall(name: string, device: JoinedDevice, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJson(request, response);
    if (!body) return;
    const result = await dispatch(core, name, body.value, { kind: 'device', role: device.role, deviceId: device.deviceId, deviceName: device.name });
    sendJson(response, !result.ok && result.error.code === 'forbidden' ? 403 : 200, result);
  }

  function serveEvents(url: URL, request: IncomingMessage, response: ServerResponse): void {
    const ticket = tickets.get(url.searchParams.get('ticket') ?? '');
    const device = ticket && ticket.expires >= Date.now() ? listDevices(core.db).find((d) => d.deviceId === ticket.deviceId && !d.revokedAt) : undefined;
    if (!device) {
      return sendJson(response, 401, {
        ok: false,
        error: { code: 'unauthorized', message: 'The event stream needs a fresh ticket from POST /api/stream-ticket (valid for a minute).' },
      });
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(': connected\n\n');
    const unsubscribe = core.events.onAny((name, payload) => {
      response.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    // A device revoked by another process on this database (`racedesk station revoke`) raises no
    // event here; the heartbeat notices it instead.
    const heartbeat = setInterval(() => {
      if (listDevices(core.db).some((d) => d.deviceId === device.deviceId && !d.revokedAt)) response.write(': heartbeat\n\n');
      else stream.end();
    }, heartbeatMs);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(stream);
    };
    const stream: Stream = {
      deviceId: device.deviceId,
      end() {
        stop();
        response.end();
      },
    };
    streams.add(stream);
    request.on('close', stop);
    response.on('close', stop);
  }

  // A revoked device stops hearing the station at once, not at its next call.
  const stopWatchingDevices = core.events.on('data.changed', ({ area }) => {
    if (area !== 'devices') return;
    const active = new Set(listDevices(core.db).filter((d) => !d.revokedAt).map((d) => d.deviceId));
    for (const stream of streams) if (!active.has(stream.deviceId)) stream.end();
  });

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

  port = (server.address() as AddressInfo).port;
  const address = stationAddress(host, port);
  const code = currentVenueCode(core.db);
  const station: RunningStation = {
    url: `${address.origin}/?pair=${code.code}`,
    origin: address.origin,
    host,
    port,
    shortCode: code.code,
    notice: address.notice,
    async close() {
      markRunning(core, undefined);
      stopWatchingDevices();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  markRunning(core, { host, port });
  return station;
}

/*
 * The names this station answers to: loopback, and the address it listens on (for every network:
 * each address of this computer). Anything else in Host, or an Origin naming another site, is a
 * page elsewhere using a joined device's browser.
 */
function foreignRequest(request: IncomingMessage, host: string, port: number): string | null {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (host === '0.0.0.0' || host === '::') {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(address.family === 'IPv6' ? `[${address.address}]` : address.address);
    }
  } else names.add(host.includes(':') ? `[${host}]` : host);
  const known = (authority: string) => {
    const split = /^(.*):(\d+)$/.exec(authority.toLowerCase());
    return split !== null && Number(split[2]) === port && names.has(split[1]);
  };
  if (!known(request.headers.host ?? '')) {
    return `This station does not answer to the address “${request.headers.host ?? ''}”: open it by the address the station laptop shows (Settings › Station).`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let authority = '';
    try {
      const parsed = new URL(origin);
      authority = `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
    } catch {
      // Unparseable: refused below.
    }
    if (!known(authority)) return `Requests from pages of another site (${origin}) are refused: only the station's own screens may call it.`;
  }
  return null;
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
