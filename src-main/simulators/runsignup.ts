import { readForm, startSimulator, type FaultPlan, type RunningSimulator, type SimRequest, type SimResponse } from './kit.ts';
import {
  makeRunSignUpDataset,
  type RunSignUpDataset,
  type RunSignUpParticipantRecord,
  type RunSignUpRecord,
  type RunSignUpRemovedRecord,
} from '../datasets/runsignup.ts';
import { pkceChallenge } from '../core/providers/runsignup/auth.ts';
import { randomBytes } from 'node:crypto';

/*
 * A local RunSignUp that answers like the real REST v1 API as runsignup.md describes it:
 * any case of /rest, errors as HTTP 200 + {"error": {...}}, the participants list wrapped per
 * event, removed participants nested inside "event", last_modified >= modified_after_timestamp.
 * Every sign-in form is accepted: a credential's key and secret as api_key/api_secret or as a v2
 * key (rsu_api_key plus the X-RSU-API-SECRET header), and OAuth 2.0 for the clients in
 * oauthClients (RequestGrant approves at once and redirects with a code; PKCE S256 checked at
 * redemption; each refresh rotates the refresh token; Bearer tokens see every race).
 */

export interface RunSignUpCredential {
  api_key: string;
  api_secret: string;
  /** Races this key is a partner of; undefined = every race in the dataset. */
  raceIds?: number[];
}

/** The key the simulator accepts unless told otherwise; a plain record so it can be shown and typed into forms. */
export const demoRunSignUpCredential: { api_key: string; api_secret: string } = { api_key: 'demo-rsu-key', api_secret: 'demo-rsu-secret' };

/** The OAuth client id the simulator knows unless told otherwise. */
export const demoOAuthClientId = 'racedesk-demo-client';

export interface RunSignUpSimulator {
  url: string;
  /** Refresh tokens currently valid (each refresh replaces the one used). */
  refreshTokens: Set<string>;
  /** Access tokens handed out; clearing it revokes them (the next call answers HTTP 401). */
  accessTokens: Set<string>;
  port: number;
  faults: FaultPlan;
  requests: RunningSimulator['requests'];
  arrivals: RunningSimulator['arrivals'];
  dataset: RunSignUpDataset;
  /** Changes fields of a registration (user fields under `user`) and bumps its last_modified. */
  updateParticipant(registrationId: number, changes: Partial<RunSignUpParticipantRecord>): RunSignUpParticipantRecord;
  /** A new registration in an event; ids and last_modified are assigned like RunSignUp would. */
  addParticipant(record: Partial<RunSignUpParticipantRecord> & { event_id: number }): RunSignUpParticipantRecord;
  /** Refund or transfer: the registration moves to the removed-participants list. */
  removeParticipant(registrationId: number, reason?: string, newRegistrationId?: number): RunSignUpRemovedRecord;
  /**
   * A transfer as RunSignUp records it: a new registration (for `to`, in the same event unless
   * another is given) and the old one removed with removed_reason "transferred" and the new id.
   */
  transferParticipant(
    registrationId: number,
    to: { first_name: string; last_name: string; event_id?: number },
  ): { removed: RunSignUpRemovedRecord; registration: RunSignUpParticipantRecord };
  /**
   * Serves one odd-but-legal record among the event's registrations on that page (in id order):
   * a fee in another currency ("CA$45.00") and a registration date with a zone, values the real
   * API may send but RaceDesk cannot read into its columns.
   */
  corruptPage(eventId: number, page: number): void;
  /** The next N answers are RunSignUp's throttle: HTTP 200 with error 14 "Request throttled." */
  throttleNext: number;
  /** The race is visible to the key but its participants answer error 7 "Permission Denied". */
  denyRace(raceId: number): void;
  /** The result sets timers posted, with their rows, as get-results would list them. */
  resultSets(): RunSignUpResultSet[];
  /** The race director deletes a result set on RunSignUp's dashboard. */
  deleteResultSet(resultSetId: number): void;
  /** Moves a race (its next date and every event's start) to another day, e.g. into the past. */
  moveRace(raceId: number, day: Date): void;
  close(): Promise<void>;
}

export interface RunSignUpResultRow {
  result_id: number;
  registration_id: number;
  place: number | null;
  bib: number | string | null;
  first_name: string;
  last_name: string;
  gender: string | null;
  age: number | null;
  clock_time: string;
  chip_time: string;
}

export interface RunSignUpResultSet {
  individual_result_set_id: number;
  individual_result_set_name: string;
  race_id: number;
  event_id: number;
  public_results: string;
  results_source_name: string | null;
  results: RunSignUpResultRow[];
}

// The code for "no access to this race" is undocumented (runsignup.md §2: other codes unconfirmed).
const noRaceAccess = { error_code: 201, error_msg: 'Race not found or you do not have access to it.' };
const keyAuthFailed = { error_code: 6, error_msg: 'Key authentication failed' };
const permissionDenied = { error_code: 7, error_msg: 'Permission Denied' };
const throttled = { error_code: 14, error_msg: 'Request throttled.' };
const invalidParameters = { error_code: 3, error_msg: 'Invalid parameters' };
const invalidId = { error_code: 15, error_msg: 'Invalid ID.' };
const firstNameRequired = { error_code: 104, error_msg: 'First name is required' };
// Times as "hhh:mm:ss.s" (or shorter), or one of the words RunSignUp takes instead (R9).
const resultTime = /^(?:(?:\d{1,3}:)?\d{1,2}:)?\d{1,2}(?:\.\d+)?$|^(?:DQ|DNS|DNF|DNQ)$/;
const defaultPerPage = 50;
const maxPerPage = 2500;

function error(body: { error_code: number; error_msg: string }): SimResponse {
  // RunSignUp answers REST errors with HTTP 200; clients must look at the body.
  return { status: 200, body: { error: body } };
}

/** Epoch seconds -> "YYYY-MM-DD HH:MM:SS" in US Eastern, the removed list's format. */
function easternTimestamp(epochSeconds: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochSeconds * 1000));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

function paging(query: URLSearchParams): { page: number; perPage: number } {
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const perPage = Math.min(maxPerPage, Math.max(1, Number(query.get('results_per_page') ?? defaultPerPage) || defaultPerPage));
  return { page, perPage };
}

const clone = <T>(value: T): T => structuredClone(value);

export async function startRunSignUpSimulator(
  options: {
    dataset?: RunSignUpDataset;
    credentials?: RunSignUpCredential[];
    /** "Today" for the race list, which shows only current events unless given a start_date; default: the real clock. */
    today?: () => Date;
    /** OAuth client ids the simulator knows (default: demoOAuthClientId). */
    oauthClients?: string[];
    port?: number;
    host?: string;
  } = {},
): Promise<RunSignUpSimulator> {
  const dataset = options.dataset ?? makeRunSignUpDataset();
  const credentials = options.credentials ?? [demoRunSignUpCredential];
  const participants = new Map<number, RunSignUpParticipantRecord>(dataset.participants.map((p) => [p.registration_id, p]));
  const corrupted = new Set<string>();
  const denied = new Set<number>();
  const today = options.today ?? (() => new Date());
  // The simulator's own clock for last_modified: strictly after anything in the dataset.
  // A loop, not Math.max(...spread): a 200,000-registration data set overflows the call stack.
  let clock = 0;
  for (const p of dataset.participants) clock = Math.max(clock, p.last_modified);
  for (const r of dataset.removed) clock = Math.max(clock, r.removed_at);
  let lastRegistrationId = 0;
  for (const p of dataset.participants) lastRegistrationId = Math.max(lastRegistrationId, p.registration_id);
  for (const r of dataset.removed) lastRegistrationId = Math.max(lastRegistrationId, r.registration_id);

  const raceOfEvent = (eventId: number) => dataset.races.find((r) => r.events.some((e) => e.event_id === eventId));

  const oauthClients = new Set(options.oauthClients ?? [demoOAuthClientId]);
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string }>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const everyRace: RunSignUpCredential = { api_key: '', api_secret: '' };
  const token = () => randomBytes(18).toString('base64url');

  function authenticate(request: SimRequest): RunSignUpCredential | 'expired' | null {
    const { query } = request;
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''));
    if (bearer) return accessTokens.has(bearer[1]) ? everyRace : 'expired';
    const v2 = query.get('rsu_api_key');
    if (v2 !== null) return credentials.find((c) => c.api_key === v2 && c.api_secret === request.headers['x-rsu-api-secret']) ?? null;
    return credentials.find((c) => c.api_key === query.get('api_key') && c.api_secret === query.get('api_secret')) ?? null;
  }

  /** RequestGrant, code redemption and refresh, as runsignup.md §2c has them. */
  function oauth(request: SimRequest, method: string): SimResponse {
    if (method === 'requestgrant') {
      const q = request.query;
      const clientId = q.get('client_id') ?? '';
      const redirectUri = q.get('redirect_uri') ?? '';
      if (!oauthClients.has(clientId) || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return { status: 400, body: { error: 'invalid_request', error_description: 'Unknown client or no S256 code challenge.' } };
      }
      const code = token();
      codes.set(code, { clientId, redirectUri, challenge: q.get('code_challenge')! });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      if (q.get('state') !== null) target.searchParams.set('state', q.get('state')!);
      return { status: 302, headers: { location: target.toString() }, body: '' };
    }
    const form = readForm(request.body);
    const issue = (): SimResponse => {
      const access = token();
      const refresh = token();
      accessTokens.add(access);
      refreshTokens.add(refresh);
      return { body: { token_type: 'Bearer', expires_in: 3600, access_token: access, refresh_token: refresh } };
    };
    const refused = (why: string): SimResponse => ({ status: 400, body: { error: 'invalid_grant', error_description: why, hint: '', message: why } });
    if (method === '/v2/auth/auth-code-redemption.json' && form.get('grant_type') === 'authorization_code') {
      const grant = codes.get(form.get('code') ?? '');
      if (!grant || grant.clientId !== form.get('client_id') || grant.redirectUri !== form.get('redirect_uri')) return refused('The authorization code is invalid.');
      if (pkceChallenge(form.get('code_verifier') ?? '') !== grant.challenge) return refused('Failed to verify code_verifier.');
      codes.delete(form.get('code')!);
      return issue();
    }
    if (method === '/v2/auth/refresh-token.json' && form.get('grant_type') === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      if (!oauthClients.has(form.get('client_id') ?? '') || !refreshTokens.delete(refresh)) return refused('The refresh token is invalid.');
      return issue();
    }
    return refused('Unsupported grant.');
  }

  function visibleRaces(credential: RunSignUpCredential) {
    return dataset.races.filter((r) => credential === everyRace || !credential.raceIds || credential.raceIds.includes(r.race.race_id));
  }

  function raceJson(entry: RunSignUpDataset['races'][number], withEvents: boolean): RunSignUpRecord {
    return withEvents ? { ...clone(entry.race), events: clone(entry.events) } : clone(entry.race);
  }

  /** "M/D/YYYY HH:MM" -> "YYYY-MM-DD". */
  const dayOf = (dateTime: string | null) => {
    const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(dateTime ?? '');
    return match ? `${match[3]}-${match[1].padStart(2, '0')}-${match[2].padStart(2, '0')}` : null;
  };

  function listRaces(request: SimRequest, credential: RunSignUpCredential): SimResponse {
    const { page, perPage } = paging(request.query);
    // "Only the most current events are listed" unless asked for a start_date (field check §2, R4).
    const from = request.query.get('start_date') ?? today().toISOString().slice(0, 10);
    const current = (event: RunSignUpDataset['races'][number]['events'][number]) => (dayOf(event.start_time) ?? '') >= from;
    const races = visibleRaces(credential).filter((entry) => entry.events.some(current));
    const slice = races.slice((page - 1) * perPage, page * perPage);
    const withEvents = request.query.get('events') === 'T';
    return {
      body: {
        races: slice.map((entry) => ({
          race: withEvents ? { ...clone(entry.race), events: clone(entry.events.filter(current)) } : clone(entry.race),
        })),
      },
    };
  }

  function eventIdsOf(request: SimRequest, race: RunSignUpDataset['races'][number]): number[] | SimResponse {
    const raw = request.query.get('event_id');
    const ids = raw ? raw.split(',').map(Number) : race.events.map((e) => e.event_id);
    const unknown = ids.find((id) => !race.events.some((e) => e.event_id === id));
    if (unknown !== undefined) return error({ error_code: 202, error_msg: `Invalid event id: ${unknown}` });
    return ids;
  }

  // Each event's registrations in id order, rebuilt only after a mutation: re-sorting the whole
  // data set for every page made a 200,000-registration sync quadratic in the simulator.
  const byEvent = new Map<number, RunSignUpParticipantRecord[]>();
  function eventInIdOrder(eventId: number): RunSignUpParticipantRecord[] {
    let list = byEvent.get(eventId);
    if (!list) {
      list = [...participants.values()].filter((p) => p.event_id === eventId).sort((a, b) => a.registration_id - b.registration_id);
      byEvent.set(eventId, list);
    }
    return list;
  }
  function firstAfter(list: RunSignUpParticipantRecord[], registrationId: number): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle].registration_id <= registrationId) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  function listParticipants(request: SimRequest, race: RunSignUpDataset['races'][number]): SimResponse {
    const ids = eventIdsOf(request, race);
    if (!Array.isArray(ids)) return ids;
    const { page, perPage } = paging(request.query);
    const after = Number(request.query.get('after_registration_id') ?? 0) || 0;
    const modifiedAfter = request.query.get('modified_after_timestamp');
    const includeQuestions = request.query.get('include_questions') === 'T';
    const includeFundraisers = request.query.get('include_fundraisers') === 'T';
    const body = ids.map((eventId) => {
      const event = race.events.find((e) => e.event_id === eventId)!;
      const all = eventInIdOrder(eventId);
      const matching = all
        .slice(firstAfter(all, after))
        // RunSignUp's comparison is inclusive (runsignup.md §3.3 quirk).
        .filter((p) => modifiedAfter === null || p.last_modified >= Number(modifiedAfter));
      const served = matching.slice((page - 1) * perPage, page * perPage);
      const pageRecords = served.map((p) => {
        const record = clone(p) as RunSignUpParticipantRecord;
        if (!includeQuestions) delete record.question_responses;
        if (!includeFundraisers) delete record.fundraiser_charity_name;
        return record;
      });
      // A corrupted page N means registrations N*perPage-perPage+1..N*perPage of the event in id
      // order, so it hits the same records whether the client pages by number or by keyset.
      const corruptIndexes = (corrupted.size === 0 ? [] : pageRecords)
        .map((_, i) => all.indexOf(served[i]))
        .map((position, i) => ({ i, page: Math.floor(position / perPage) + 1 }))
        .filter((entry) => corrupted.has(`${eventId}:${entry.page}`));
      if (corruptIndexes.length > 0) {
        const odd = pageRecords[corruptIndexes[Math.floor(corruptIndexes.length / 2)].i];
        odd.race_fee = 'CA$45.00';
        odd.registration_date = '2025-02-11T07:45:00-05:00';
      }
      const { registration_periods: _periods, sub_event_ids: _subEvents, ...eventFields } = event;
      return { event: clone(eventFields), participants: pageRecords };
    });
    return { body };
  }

  function listRemoved(request: SimRequest, race: RunSignUpDataset['races'][number]): SimResponse {
    const ids = eventIdsOf(request, race);
    if (!Array.isArray(ids)) return ids;
    const { page, perPage } = paging(request.query);
    const modifiedAfter = request.query.get('modified_after_timestamp');
    return {
      body: ids.map((eventId) => ({
        event: {
          event_id: eventId,
          participants: dataset.removed
            .filter((r) => r.event_id === eventId && (modifiedAfter === null || r.removed_at >= Number(modifiedAfter)))
            .sort((a, b) => a.registration_id - b.registration_id)
            .slice((page - 1) * perPage, page * perPage)
            .map((r) => ({
              registration_id: r.registration_id,
              removed_reason: r.removed_reason,
              new_registration_id: r.new_registration_id,
              last_modified: easternTimestamp(r.removed_at),
            })),
        },
      })),
    };
  }

  const resultSets = new Map<number, RunSignUpResultSet>();
  let lastResultSetId = 604_400;
  let lastResultId = 201_455_700;

  function eventOfRequest(request: SimRequest, race: RunSignUpDataset['races'][number]): number | SimResponse {
    const eventId = Number(request.query.get('event_id'));
    if (!race.events.some((e) => e.event_id === eventId)) return error({ error_code: 223, error_msg: 'Event id not valid.' });
    return eventId;
  }

  function setsOfEvent(eventId: number): RunSignUpResultSet[] {
    return [...resultSets.values()].filter((set) => set.event_id === eventId);
  }

  function setJson(set: RunSignUpResultSet, withResults: boolean) {
    const { race_id: _race, event_id: _event, results, ...fields } = set;
    return {
      ...clone(fields),
      preliminary_results: 'F',
      results_headers: { place: 'Place', bib: 'Bib', first_name: 'First Name', last_name: 'Last Name', gender: 'Gender', age: 'Age', clock_time: 'Clock Time', chip_time: 'Chip Time' },
      results: withResults ? results.map(({ registration_id: _registration, ...row }) => clone(row)) : [],
    };
  }

  /** A result row's registrant: by registration_id, else bib (bib_num), else chip_num, within the event (R9). */
  function registrantOf(row: Record<string, unknown>, eventId: number): RunSignUpParticipantRecord | undefined {
    const inEvent = eventInIdOrder(eventId);
    if (row.registration_id !== undefined) return inEvent.find((p) => p.registration_id === Number(row.registration_id));
    const bib = row.bib ?? row.bib_num;
    if (bib !== undefined && bib !== null && bib !== '') return inEvent.find((p) => p.bib_num !== null && String(p.bib_num) === String(bib));
    if (row.chip_num !== undefined) return inEvent.find((p) => p.chip_num !== null && String(p.chip_num) === String(row.chip_num));
    return undefined;
  }

  /**
   * The results API (runsignup.md §3.6): path style (race/{id}/results/full-results) or the
   * examples' classic form (race/{id}/Results with request_type). Fields come as a form with the
   * JSON in `request`. A request with one row RunSignUp cannot take is refused whole.
   */
  function results(request: SimRequest, race: RunSignUpDataset['races'][number], method: string): SimResponse {
    const eventId = eventOfRequest(request, race);
    if (typeof eventId !== 'number') return eventId;
    if (request.method === 'GET') {
      if (method !== 'get-result-sets' && method !== 'get-results') return { status: 404, body: { error: { error_code: 1, error_msg: 'Unknown method' } } };
      return { body: { individual_results_sets: setsOfEvent(eventId).map((set) => setJson(set, method === 'get-results')) } };
    }
    if (request.method !== 'POST') return error({ error_code: 2, error_msg: 'HTTP method not supported for this REST method' });
    const form = readForm(request.body);
    const type = method || (form.get('request_type') ?? '');
    if (form.get('request_format') !== 'json') return error({ error_code: 10, error_msg: 'Request format not supported for this REST method' });
    let body: Record<string, unknown> = {};
    if (form.get('request') !== null) {
      try {
        body = JSON.parse(form.get('request')!) as Record<string, unknown>;
      } catch {
        return error(invalidParameters);
      }
    }
    const setId = form.get('individual_result_set_id');
    const named = setId === null ? undefined : resultSets.get(Number(setId));
    if (setId !== null && named?.event_id !== eventId) return error(invalidId);
    const newSet = (fields: Record<string, unknown>): RunSignUpResultSet => {
      const set: RunSignUpResultSet = {
        individual_result_set_id: ++lastResultSetId,
        individual_result_set_name: String(fields.individual_result_set_name),
        race_id: race.race.race_id,
        event_id: eventId,
        public_results: fields.public_results === 'F' ? 'F' : 'T',
        results_source_name: typeof fields.results_source_name === 'string' ? fields.results_source_name : null,
        results: [],
      };
      resultSets.set(set.individual_result_set_id, set);
      return set;
    };
    if (type === 'new-result-set') {
      if (typeof body.individual_result_set_name !== 'string' || body.individual_result_set_name.trim() === '') return error(invalidParameters);
      return { body: { individual_result_set_id: newSet(body).individual_result_set_id } };
    }
    if (type === 'clear-results') {
      if (!named) return error(invalidParameters);
      named.results = [];
      // The success body beyond "no error" is unconfirmed (runsignup.md §3.6).
      return { body: {} };
    }
    if (type !== 'full-results') return error({ error_code: 1, error_msg: 'Unknown method' });
    const rows = body.results;
    if (!Array.isArray(rows)) return error(invalidParameters);
    // Without a set id: "the existing result set will be used if it exists. Otherwise, a new result set will be automatically created" (R9).
    const existing = setsOfEvent(eventId);
    if (!named && existing.length > 1) return error(invalidParameters);
    const checked: Array<{ registrant: RunSignUpParticipantRecord; row: Record<string, unknown> }> = [];
    for (const raw of rows as Array<Record<string, unknown>>) {
      const registrant = registrantOf(raw, eventId);
      // Unmatched rows need first_name and last_name, and creating people that way is deprecated: refused here.
      if (!registrant) return error(firstNameRequired);
      for (const field of ['clock_time', 'chip_time']) {
        if (raw[field] !== undefined && raw[field] !== null && raw[field] !== '' && !resultTime.test(String(raw[field]))) return error(invalidParameters);
      }
      checked.push({ registrant, row: raw });
    }
    const set = named ?? existing[0] ?? newSet({ individual_result_set_name: 'Results' });
    for (const { registrant, row } of checked) {
      const user = registrant.user as { first_name?: string; last_name?: string; gender?: string };
      const current = set.results.find((r) => r.registration_id === registrant.registration_id);
      const next: RunSignUpResultRow = {
        result_id: current?.result_id ?? ++lastResultId,
        registration_id: registrant.registration_id,
        place: row.place === undefined ? (current?.place ?? null) : Number(row.place),
        // get-results shows a numeric bib as a number, unlike bib_num of participants (runsignup.md §3.5).
        bib: registrant.bib_num == null ? null : /^\d+$/.test(String(registrant.bib_num)) ? Number(registrant.bib_num) : String(registrant.bib_num),
        first_name: user.first_name ?? '',
        last_name: user.last_name ?? '',
        gender: user.gender ?? null,
        age: (registrant.age as number | null) ?? null,
        clock_time: row.clock_time === undefined ? (current?.clock_time ?? '') : String(row.clock_time),
        chip_time: row.chip_time === undefined ? (current?.chip_time ?? '') : String(row.chip_time),
      };
      // A registrant has one result per set: posting it again updates it (the examples post splits, then the finish).
      if (current) Object.assign(current, next);
      else set.results.push(next);
    }
    return { body: {} };
  }

  let throttleNext = 0;

  function route(request: SimRequest): SimResponse {
    if (/^\/profile\/oauth2\/requestgrant\/?$/i.test(request.path)) return oauth(request, 'requestgrant');
    // "/Rest", "/rest" and "/REST" all work, with or without a trailing slash (runsignup.md §1).
    const match = /^\/rest(\/.*?)\/?$/i.exec(request.path);
    if (!match) return { status: 404, body: 'Not Found' };
    const method = match[1].toLowerCase();
    if (method.startsWith('/v2/auth/') && request.method === 'POST') return oauth(request, method);
    if (request.query.get('format') !== 'json') {
      // Without format=json RunSignUp answers XML.
      return { headers: { 'content-type': 'text/xml' }, body: '<?xml version="1.0"?><response/>' };
    }
    const credential = authenticate(request);
    if (credential === 'expired') return { status: 401, body: { error: { error_code: 6, error_msg: 'Invalid or expired access token.' } } };
    if (!credential) return error(keyAuthFailed);
    if (throttleNext > 0) {
      throttleNext--;
      return error(throttled);
    }
    if (method === '/races') return listRaces(request, credential);
    const raceMatch = /^\/race\/(\d+)(\/participants|\/removed-participants|\/results(?:\/([a-z-]+))?)?$/.exec(method);
    if (!raceMatch) return { status: 404, body: { error: { error_code: 404, error_msg: 'Method not found' } } };
    const race = visibleRaces(credential).find((r) => r.race.race_id === Number(raceMatch[1]));
    if (!race) return error(noRaceAccess);
    if (raceMatch[2] && denied.has(race.race.race_id)) return error(permissionDenied);
    if (raceMatch[2] === '/participants') return listParticipants(request, race);
    if (raceMatch[2] === '/removed-participants') return listRemoved(request, race);
    if (raceMatch[2]?.startsWith('/results')) return results(request, race, raceMatch[3] ?? '');
    return { body: { race: raceJson(race, request.query.get('events') !== 'F') } };
  }

  const server = await startSimulator({ route, prefix: '/Rest', port: options.port, host: options.host });

  function mustFind(registrationId: number): RunSignUpParticipantRecord {
    const record = participants.get(registrationId);
    if (!record) throw new Error(`No RunSignUp registration ${registrationId} in the simulator.`);
    return record;
  }

  function sync() {
    dataset.participants = [...participants.values()];
    byEvent.clear();
  }

  const simulator: RunSignUpSimulator = {
    url: server.url,
    refreshTokens,
    accessTokens,
    port: server.port,
    faults: server.faults,
    requests: server.requests,
    arrivals: server.arrivals,
    dataset,
    updateParticipant(registrationId, changes) {
      const record = mustFind(registrationId);
      const { user, ...rest } = changes;
      Object.assign(record, rest, { registration_id: registrationId, last_modified: ++clock });
      if (user) Object.assign(record.user, user);
      sync();
      return clone(record);
    },
    addParticipant(partial) {
      if (!raceOfEvent(partial.event_id)) throw new Error(`No RunSignUp event ${partial.event_id} in the simulator.`);
      const template = dataset.participants.find((p) => p.event_id === partial.event_id) ?? dataset.participants[0];
      const record: RunSignUpParticipantRecord = {
        ...(template ? clone(template) : {}),
        ...partial,
        registration_id: ++lastRegistrationId,
        last_modified: ++clock,
        user: { ...(template ? clone(template.user) : {}), user_id: 59_000_000 + lastRegistrationId % 1_000_000, ...partial.user },
      };
      participants.set(record.registration_id, record);
      byEvent.clear();
      sync();
      return clone(record);
    },
    removeParticipant(registrationId, reason = 'Refunded', newRegistrationId = 0) {
      const record = mustFind(registrationId);
      participants.delete(registrationId);
      byEvent.clear();
      const removed: RunSignUpRemovedRecord = {
        registration_id: registrationId,
        event_id: record.event_id,
        removed_reason: reason,
        new_registration_id: newRegistrationId,
        removed_at: ++clock,
      };
      dataset.removed.push(removed);
      sync();
      return removed;
    },
    transferParticipant(registrationId, to) {
      const old = mustFind(registrationId);
      const registration = simulator.addParticipant({
        event_id: to.event_id ?? old.event_id,
        bib_num: old.bib_num,
        user: { ...clone(old.user), first_name: to.first_name, last_name: to.last_name },
      });
      return { removed: simulator.removeParticipant(registrationId, 'transferred', registration.registration_id), registration };
    },
    corruptPage(eventId, page) {
      corrupted.add(`${eventId}:${page}`);
    },
    get throttleNext() {
      return throttleNext;
    },
    set throttleNext(count: number) {
      throttleNext = count;
    },
    resultSets: () => [...resultSets.values()].map(clone),
    deleteResultSet(resultSetId) {
      if (!resultSets.delete(resultSetId)) throw new Error(`No RunSignUp result set ${resultSetId} in the simulator.`);
    },
    denyRace(raceId) {
      denied.add(raceId);
    },
    moveRace(raceId, day) {
      const entry = dataset.races.find((r) => r.race.race_id === raceId);
      if (!entry) throw new Error(`No RunSignUp race ${raceId} in the simulator.`);
      const date = `${day.getUTCMonth() + 1}/${day.getUTCDate()}/${day.getUTCFullYear()}`;
      entry.race.next_date = date;
      for (const event of entry.events) event.start_time = `${date} ${event.start_time?.split(' ')[1] ?? '08:00'}`;
    },
    close: () => server.close(),
  };
  return simulator;
}
