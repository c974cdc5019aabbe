import { startSimulator, type RunningSimulator, type SimRequest, type SimResponse } from './kit.ts';
import type { ChronotrackSecret } from '../core/providers/chronotrack/client.ts';
import { sha1Hex } from '../core/providers/chronotrack/client.ts';
import { bracketResults, chronotrackDataset, type CtDatasetOptions, type CtRecord, type CtWorld } from '../datasets/chronotrack.ts';

/*
 * A local ChronoTrack Live API (chronotrack.md §7 checklist): both URL spellings
 * (/api/event/1/entry and /api/event.json/1/entry), client_id plus simple (SHA-1 user_pass) or
 * Basic auth on every call, page/size paging reported only in X-Ctlive-* headers, bodies wrapped
 * in one key, every scalar a string, 401 with the suggested body for refused credentials. As the
 * one public client that reads them suggests, contact fields come only from GET /entry/{id}, and
 * gender and age-group places only from GET /bracket/{id}/results (field-check.md §3).
 */

export const simulatorCredentials: ChronotrackSecret = {
  client_id: '727dae7f',
  username: 'timer@example.com',
  password: 'Chrono pässword 1',
};

export interface ChronotrackSimulatorOptions extends CtDatasetOptions {
  world?: CtWorld;
  credentials?: ChronotrackSecret;
  /** The largest page the server hands out whatever size is asked (the real maximum is unknown). */
  maxPageSize?: number;
  port?: number;
  host?: string;
}

export interface ChronotrackSimulator extends RunningSimulator {
  world: CtWorld;
  credentials: ChronotrackSecret;
  /** The event stays listed, but its entries and results answer 403 (access withdrawn from this login). */
  forbidEvent(eventId: string): void;
  /** GET /entry/{id} answers 404 for this entry, as for one deleted after its list page was read. */
  deleteEntryDetail(entryId: string): void;
  /** Changes fields of an entry (and its result rows' names/bib), as an edit in ChronoTrack would. */
  updateEntry(entryId: string, patch: CtRecord): void;
  /** Registers a new entry in an event; returns it. */
  addEntry(eventId: string, fields?: CtRecord): CtRecord;
  /** Puts a bad value into one field of an entry or result row, to test malformed pages. */
  corruptEntry(entryId: string, field: string, value: unknown): void;
  corruptResult(entryId: string, field: string, value: unknown): void;
}

const defaultPageSize = 50;

export async function startChronotrackSimulator(options: ChronotrackSimulatorOptions = {}): Promise<ChronotrackSimulator> {
  const world = options.world ?? chronotrackDataset(options);
  const credentials = options.credentials ?? simulatorCredentials;
  const maxPageSize = options.maxPageSize ?? 1600;
  const forbidden = new Set<string>();
  const deletedDetails = new Set<string>();

  const route = (request: SimRequest): SimResponse => {
    const segments = request.path.replace(/^\/api\/?/, '').split('/').filter(Boolean);
    // "/event.json/1" is the second URL spelling; the format suffix goes with the resource name.
    if (segments[0]) segments[0] = segments[0].replace(/\.json$/, '');
    if (request.method !== 'GET') return { status: 405, body: { error: 'method not allowed' } };
    if (!authorised(request, credentials)) return { status: 401, body: { error: 'invalid credentials' } };
    const paged = (key: string, rows: unknown[]) => page(request, key, rows, maxPageSize);
    const [resource, id, sub] = segments;
    if (resource === 'event' && id === undefined) return paged('event', world.events.map((e) => e.event));
    const data = resource === 'event' ? world.events.find((e) => e.event.event_id === id) : undefined;
    if (resource === 'event' && data) {
      if (sub !== undefined && forbidden.has(data.event.event_id as string)) return { status: 403, body: { error: 'forbidden' } };
      if (sub === undefined) return { body: { event: data.event } };
      if (sub === 'race') return paged('event_race', data.races);
      if (sub === 'bracket') return paged('event_bracket', data.brackets);
      if (sub === 'entry') return paged('event_entry', data.entries);
      if (sub === 'results') {
        const all = (request.query.get('interval') ?? '').toUpperCase() === 'ALL';
        return paged('event_results', all ? data.results : data.results.filter((r) => r.results_interval_full === '1'));
      }
    }
    if (resource === 'entry' && id !== undefined && sub === undefined) {
      const data = world.events.find((e) => e.entries.some((entry) => entry.entry_id === id));
      if (data && forbidden.has(data.event.event_id)) return { status: 403, body: { error: 'forbidden' } };
      const entry = data?.entries.find((e) => e.entry_id === id);
      if (data && entry && !deletedDetails.has(id)) return { body: { entry: { ...entry, ...data.details[id] } } };
    }
    if (resource === 'bracket' && id !== undefined && sub === 'results') {
      const data = world.events.find((e) => e.brackets.some((b) => b.bracket_id === id));
      if (data && forbidden.has(data.event.event_id)) return { status: 403, body: { error: 'forbidden' } };
      const bracket = data?.brackets.find((b) => b.bracket_id === id);
      if (data && bracket) return paged('bracket_results', bracketResults(data, bracket));
    }
    return { status: 404, body: { error: 'not found' } };
  };

  const running = await startSimulator({ route, prefix: '/api', port: options.port, host: options.host });
  const entryById = (entryId: string) => {
    for (const data of world.events) {
      const entry = data.entries.find((e) => e.entry_id === entryId);
      if (entry) return { data, entry };
    }
    throw new Error(`The simulator has no entry ${entryId}`);
  };

  return Object.assign(running, {
    world,
    credentials,
    forbidEvent(eventId: string) {
      forbidden.add(eventId);
    },
    deleteEntryDetail(entryId: string) {
      deletedDetails.add(entryId);
    },
    updateEntry(entryId: string, patch: CtRecord) {
      const { data, entry } = entryById(entryId);
      Object.assign(entry, patch);
      for (const row of data.results.filter((r) => r.results_entry_id === entryId)) {
        if (patch.entry_bib !== undefined) row.results_bib = patch.entry_bib;
        if (patch.athlete_first_name !== undefined) row.results_first_name = patch.athlete_first_name;
        if (patch.athlete_last_name !== undefined) row.results_last_name = patch.athlete_last_name;
      }
    },
    addEntry(eventId: string, fields: CtRecord = {}) {
      const data = world.events.find((e) => e.event.event_id === eventId);
      if (!data) throw new Error(`The simulator has no event ${eventId}`);
      const highest = Math.max(...data.entries.map((e) => Number(e.entry_id)), Number(eventId) * 1000);
      const template = data.entries[0] ?? {};
      const entry: CtRecord = {
        ...template,
        entry_id: String(highest + 1),
        athlete_id: String(highest + 5_000_001),
        entry_bib: String(9000 + data.entries.length),
        entry_name: 'Walk Up',
        athlete_first_name: 'Walk',
        athlete_last_name: 'Up',
        entry_status: 'CONF',
        ...fields,
      };
      data.entries.push(entry);
      return entry;
    },
    corruptEntry(entryId: string, field: string, value: unknown) {
      (entryById(entryId).entry as Record<string, unknown>)[field] = value;
    },
    corruptResult(entryId: string, field: string, value: unknown) {
      const { data } = entryById(entryId);
      const rows = data.results.filter((r) => r.results_entry_id === entryId);
      if (rows.length === 0) throw new Error(`Entry ${entryId} has no result rows`);
      for (const row of rows) (row as Record<string, unknown>)[field] = value;
    },
  });
}

function authorised(request: SimRequest, credentials: ChronotrackSecret): boolean {
  if (request.query.get('client_id') !== credentials.client_id) return false;
  const basic = /^Basic (.+)$/i.exec(String(request.headers.authorization ?? ''));
  if (basic) {
    return Buffer.from(basic[1], 'base64').toString('utf8') === `${credentials.username}:${credentials.password}`;
  }
  return request.query.get('user_id') === credentials.username && request.query.get('user_pass') === sha1Hex(credentials.password);
}

function page(request: SimRequest, key: string, rows: unknown[], maxPageSize: number): SimResponse {
  const asked = Number(request.query.get('size') ?? defaultPageSize);
  const size = Math.max(1, Math.min(Number.isInteger(asked) && asked > 0 ? asked : defaultPageSize, maxPageSize));
  const requested = Number(request.query.get('page') ?? 1);
  const current = Number.isInteger(requested) && requested > 0 ? requested : 1;
  const pageCount = Math.max(1, Math.ceil(rows.length / size));
  return {
    headers: {
      'X-Ctlive-Row-Count': String(rows.length),
      'X-Ctlive-Page-Count': String(pageCount),
      'X-Ctlive-Page-Size': String(size),
      'X-Ctlive-Current-Page': String(current),
    },
    body: { [key]: rows.slice((current - 1) * size, current * size) },
  };
}
