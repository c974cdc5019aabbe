/*
 * The renderer's one door to RaceDesk: every screen calls handlers of the API contract by name
 * through this client, typed from the handler map itself. Only types cross from src-main, so no
 * Node code reaches the bundle.
 *
 * Two transports carry the same calls:
 * - Electron: the preload's window.racedesk.invoke / on (contextBridge, no raw channels);
 * - a browser on the venue network: POST /api/call/<name> and Server-Sent Events from
 *   /api/events on the station server, with the station token.
 */
import type { Handlers } from '../../../src-main/core/api/handlers.ts';
import type { ApiResult, InputOf, OutputOf } from '../../../src-main/core/api/contract.ts';
import type { CoreEvents } from '../../../src-main/core/api/events.ts';
import type { ErrorCode, ErrorPayload } from '../../../src-main/core/errors.ts';
import type { RaceDeskBridge } from '../../../src-preload/bridge.ts';

export type HandlerName = keyof Handlers & string;
export type Input<K extends HandlerName> = InputOf<Handlers[K]>;
export type Output<K extends HandlerName> = OutputOf<Handlers[K]>;
export type EventName = keyof CoreEvents & string;
export type EventPayload<E extends EventName> = CoreEvents[E];
export type { ApiResult, ErrorCode, ErrorPayload, CoreEvents };

/** Whether the renderer currently hears the core (the station's event stream, or always in Electron). */
export type LinkState = 'connecting' | 'online' | 'offline';

export interface Transport {
  readonly kind: 'electron' | 'station';
  invoke(name: string, input: unknown): Promise<ApiResult<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  onLinkState(listener: (state: LinkState) => void): () => void;
}

export type { RaceDeskBridge };

declare global {
  interface Window {
    racedesk?: RaceDeskBridge;
  }
}

/** A failed call, with the contract's stable code and a sentence for people. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Client {
  readonly transport: Transport;
  /** Resolves with the handler's value or rejects with an ApiError. */
  call<K extends HandlerName>(name: K, input: Input<K>): Promise<Output<K>>;
  /** Never rejects: transport failures come back as {ok: false} like handler errors. */
  result<K extends HandlerName>(name: K, input: Input<K>): Promise<ApiResult<Output<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  async function result<K extends HandlerName>(name: K, input: Input<K>): Promise<ApiResult<Output<K>>> {
    try {
      return (await transport.invoke(name, input ?? {})) as ApiResult<Output<K>>;
    } catch (error) {
      return { ok: false, error: unreachable(transport, error) };
    }
  }
  return {
    transport,
    result,
    async call(name, input) {
      const answer = await result(name, input);
      if (!answer.ok) throw new ApiError(answer.error.code, answer.error.message);
      return answer.value;
    },
    on(event, listener) {
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
  };
}

function unreachable(transport: Transport, error: unknown): ErrorPayload {
  const detail = error instanceof Error ? error.message : String(error);
  return transport.kind === 'station'
    ? { code: 'network_error', message: `The station cannot be reached (${detail}). Check the Wi-Fi and that the station laptop is running.` }
    : { code: 'internal', message: `The app could not complete the call: ${detail}` };
}

/** The message to show for any thrown value, in plain words. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isNotAvailable(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'not_found' && /^Unknown API call/.test(error.message);
}

// ---------------------------------------------------------------------------------------------
// Electron transport

export function createElectronTransport(bridge: RaceDeskBridge): Transport {
  return {
    kind: 'electron',
    invoke: (name, input) => bridge.invoke(name, input),
    subscribe: (event, listener) => bridge.on(event, listener),
    onLinkState(listener) {
      listener('online');
      return () => {};
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Station (browser) transport

export interface StationTransportOptions {
  /** Origin of the station server; '' means the page's own origin. */
  baseUrl?: string;
  /** This device's token, sent only in the Authorization header. */
  token: () => string | null;
  /**
   * Ignored: the station signs a device's actions with the name it joined under (rename it with
   * station.renameSelf). Kept so existing callers still fit.
   */
  stationName?: () => string | null;
  fetch?: typeof fetch;
  /** EventSource constructor; absent in environments without SSE (tests of calls only). */
  EventSource?: typeof EventSource;
}

export function createStationTransport(options: StationTransportOptions): Transport {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const linkListeners = new Set<(state: LinkState) => void>();
  let linkState: LinkState = 'connecting';
  let source: EventSource | null = null;
  const attached = new Set<string>();

  function setLink(state: LinkState) {
    if (state === linkState) return;
    linkState = state;
    for (const listener of linkListeners) listener(state);
  }

  function attach(event: string) {
    if (!source || attached.has(event)) return;
    attached.add(event);
    source.addEventListener(event, (message) => {
      let payload: unknown;
      try {
        payload = JSON.parse((message as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const listener of listeners.get(event) ?? []) listener(payload);
    });
  }

  /*
   * One stream per page, opened on the first subscription. EventSource cannot send the token, so
   * the stream opens with a ticket from POST /api/stream-ticket (valid for a minute). EventSource
   * reconnects by itself with the same address; once the station refuses the old ticket (or the
   * ticket could not be fetched), a new ticket is fetched, waiting longer after each failure.
   */
  let opening = false;
  let failures = 0;
  function ensureStream() {
    if (source || opening || !options.EventSource) return;
    opening = true;
    void fetchTicket().then((ticket) => {
      opening = false;
      if (ticket === null) {
        setLink('offline');
        failures += 1;
        setTimeout(ensureStream, Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5)));
        return;
      }
      const EventSourceClass = options.EventSource as typeof EventSource;
      const opened = new EventSourceClass(`${baseUrl}/api/events?ticket=${encodeURIComponent(ticket)}`);
      source = opened;
      attached.clear();
      opened.addEventListener('open', () => {
        failures = 0;
        setLink('online');
      });
      opened.addEventListener('error', () => {
        if (opened.readyState !== 2) return setLink('connecting');
        setLink('offline');
        opened.close();
        if (source === opened) source = null;
        failures += 1;
        setTimeout(ensureStream, Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5)));
      });
      for (const event of listeners.keys()) attach(event);
    });
  }

  async function fetchTicket(): Promise<string | null> {
    const token = options.token();
    if (!token) return null;
    try {
      const response = await doFetch(`${baseUrl}/api/stream-ticket`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      const answer = await readApiResult(response);
      return answer.ok ? (answer.value as { ticket: string }).ticket : null;
    } catch {
      return null;
    }
  }

  return {
    kind: 'station',
    async invoke(name, input) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      const token = options.token();
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await doFetch(`${baseUrl}/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
      });
      return readApiResult(response);
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      ensureStream();
      attach(event);
      return () => set.delete(listener);
    },
    onLinkState(listener) {
      linkListeners.add(listener);
      listener(linkState);
      ensureStream();
      return () => linkListeners.delete(listener);
    },
  };
}

/** Turns any HTTP answer of the station into an ApiResult, so screens handle one shape. */
export async function readApiResult(response: Response): Promise<ApiResult<unknown>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isApiResult(body)) return body;
  if (response.status === 401) {
    return { ok: false, error: { code: 'unauthorized', message: 'This device is not paired with the station. Open the address shown on the station laptop (or scan its QR code) again.' } };
  }
  return {
    ok: false,
    error: { code: 'internal', message: `The station answered HTTP ${response.status} with something that is not an API result.` },
  };
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const candidate = value as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (candidate.ok === true) return true;
  return candidate.ok === false && typeof candidate.error?.code === 'string' && typeof candidate.error?.message === 'string';
}
