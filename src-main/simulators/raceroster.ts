import { readForm, startSimulator, type RunningSimulator, type SimRequest, type SimResponse } from './kit.ts';
import { eventsPageSize, maxPageSize, wrapTokenResponse } from '../core/providers/raceroster/assumptions.ts';
import {
  createRaceRosterDataset,
  utcOffsetTime,
  type RaceRosterAccount,
  type RaceRosterDataset,
  type RaceRosterDatasetOptions,
  type RaceRosterParticipantRecord,
} from '../datasets/raceroster.ts';
import { toUtcIso } from '../core/providers/raceroster/mapping.ts';

/*
 * A local Race Roster (../shared/providers/raceroster.md §7): POST /api/oauth/authorize
 * (grant_type access_token or refresh_token, form body), and under /api/v1 the Bearer-protected
 * GET /events, /events/{id} and /events/{id}/participants with offset/limit, totalResults and
 * the lastModifiedDate (>=) filter. Answers carry Race Roster's own error bodies.
 */

/** Demo mode: the main account's 4 sub-events of 80 registrations each (320 in all). */
export const demoParticipantsPerSubEvent = 80;

export interface RaceRosterSimulatorOptions extends RaceRosterDatasetOptions {
  dataset?: RaceRosterDataset;
  port?: number;
  host?: string;
  /** expires_in of issued tokens, in seconds (Race Roster's JWTs last 24 h). */
  tokenLifetimeSeconds?: number;
  /** The largest page the fake serves, whatever limit is asked (tests use small pages). */
  maxPageSize?: number;
  /** Pages of this size whatever limit is asked, as a server would that ignores it (the real maximum is undocumented). */
  servedPageSize?: number;
}

export interface RaceRosterSimulator {
  sim: RunningSimulator;
  /** Base URL of the API (…/api/v1), for an account's baseUrl. */
  url: string;
  dataset: RaceRosterDataset;
  /** The account that owns the dataset's main events, as a secret for accounts.add. */
  secret: Record<'client_id' | 'client_secret' | 'username' | 'password', string>;
  /** Every access token issued so far stops working (refresh tokens still work). */
  expireTokens(): void;
  /** Changes a participant and stamps lastModifiedDate with the simulator's clock. */
  updateParticipant(eventId: number, participantId: number, changes: Record<string, unknown>): RaceRosterParticipantRecord;
  addParticipant(eventId: number, subEventId: number, fields: Record<string, unknown>): RaceRosterParticipantRecord;
  /** Breaks one participant (the 1-based position in the event's list) so its page is malformed. */
  corruptParticipant(eventId: number, position: number, breakage?: Record<string, unknown>): void;
  close(): Promise<void>;
}

const unauthenticated: SimResponse = { status: 401, body: { message: 'Unauthenticated.' } };
const tokenRefused = (description: string, error = 'invalid_credentials'): SimResponse => ({
  status: 401,
  body: { error, error_description: description, hint: '', message: description },
});

export async function startRaceRosterSimulator(options: RaceRosterSimulatorOptions = {}): Promise<RaceRosterSimulator> {
  const dataset = options.dataset ?? createRaceRosterDataset(options);
  const lifetime = options.tokenLifetimeSeconds ?? 86_400;
  const pageCap = options.maxPageSize ?? maxPageSize;
  const accessTokens = new Map<string, { account: RaceRosterAccount; expiresAt: number }>();
  const refreshTokens = new Map<string, RaceRosterAccount>();
  let issued = 0;

  function issueToken(account: RaceRosterAccount): SimResponse {
    issued++;
    const accessToken = `rr-access-${issued}-${account.client_id}`;
    const refreshToken = `rr-refresh-${issued}-${account.client_id}`;
    accessTokens.set(accessToken, { account, expiresAt: Date.now() + lifetime * 1000 });
    refreshTokens.set(refreshToken, account);
    return { body: wrapTokenResponse({ access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, refresh_token: refreshToken }) };
  }

  function authorize(request: SimRequest): SimResponse {
    const form = readForm(request.body);
    const account = dataset.accounts.find(
      (a) => a.client_id === form.get('client_id') && a.client_secret === form.get('client_secret'),
    );
    if (!account) return tokenRefused('Client authentication failed', 'invalid_client');
    switch (form.get('grant_type')) {
      case 'access_token':
        if (form.get('username') !== account.username || form.get('password') !== account.password) {
          return tokenRefused('The user credentials were incorrect.');
        }
        return issueToken(account);
      case 'refresh_token': {
        const refreshToken = form.get('refresh_token') ?? '';
        if (refreshTokens.get(refreshToken) !== account) {
          return tokenRefused('The refresh token is invalid.', 'invalid_request');
        }
        refreshTokens.delete(refreshToken);
        return issueToken(account);
      }
      default:
        return {
          status: 400,
          body: {
            error: 'unsupported_grant_type',
            error_description: 'The authorization grant type is not supported by the authorization server.',
            hint: 'Check that all required parameters have been provided',
            message: 'The authorization grant type is not supported by the authorization server.',
          },
        };
    }
  }

  function caller(request: SimRequest): RaceRosterAccount | null {
    const match = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''));
    const token = match ? accessTokens.get(match[1]) : undefined;
    return token && Date.now() < token.expiresAt ? token.account : null;
  }

  function window(request: SimRequest, defaultLimit: number): { offset: number; limit: number } {
    const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
    const limit = options.servedPageSize ?? Math.min(pageCap, Math.max(1, Number(request.query.get('limit') ?? defaultLimit) || defaultLimit));
    return { offset, limit };
  }

  /** lastModifiedDate (>=): records modified at or after the instant. */
  function modifiedSince(request: SimRequest): (record: { lastModifiedDate: string }) => boolean {
    const since = request.query.get('lastModifiedDate');
    const sinceIso = since ? toUtcIso(since) : null;
    if (!sinceIso) return () => true;
    return (record) => (toUtcIso(record.lastModifiedDate) ?? '') >= sinceIso;
  }

  function publicEvent(event: (typeof dataset.events)[number]) {
    const { organiserId: _owner, ...visible } = event;
    return visible;
  }

  const route = (request: SimRequest): SimResponse => {
    if (request.method === 'POST' && request.path === '/api/oauth/authorize') return authorize(request);
    const api = /^\/api\/v1\/events(?:\/(\d+)(\/participants)?)?$/.exec(request.path);
    if (!api || request.method !== 'GET') return { status: 404, body: { message: 'Not Found' } };
    const account = caller(request);
    if (!account) return unauthenticated;

    if (!api[1]) {
      const { offset, limit } = window(request, eventsPageSize);
      const ids = request.query.get('eventId')?.split(',').map(Number);
      const visible = dataset.events
        .filter((e) => e.organiserId === account.organiserId)
        .filter((e) => !ids || ids.includes(e.eventId))
        .filter(modifiedSince(request))
        .sort((a, b) => String(a.startDate).localeCompare(String(b.startDate)));
      return { body: { data: visible.slice(offset, offset + limit).map(publicEvent) } };
    }

    const event = dataset.events.find((e) => e.eventId === Number(api[1]));
    if (!event) return { status: 404, body: { message: 'No query results for model [App\\Event].' } };
    if (event.organiserId !== account.organiserId) return { status: 403, body: { message: 'This action is unauthorized.' } };
    if (!api[2]) return { body: { data: publicEvent(event) } };

    const { offset, limit } = window(request, 50);
    const subEventId = request.query.get('subEventId');
    const matching = (dataset.participants.get(event.eventId) ?? [])
      .filter((p) => !subEventId || p.subEventId === Number(subEventId))
      .filter(modifiedSince(request));
    return { body: { data: matching.slice(offset, offset + limit), metadata: { totalResults: matching.length } } };
  };

  const sim = await startSimulator({ route, prefix: '/api/v1', port: options.port, host: options.host });
  const owner = dataset.accounts[0];

  function participantsOf(eventId: number): RaceRosterParticipantRecord[] {
    const list = dataset.participants.get(eventId);
    if (!list) throw new Error(`The Race Roster simulator has no event ${eventId}.`);
    return list;
  }

  const stamp = () => utcOffsetTime((dataset.clock += 60_000));

  return {
    sim,
    url: sim.url,
    dataset,
    secret: { client_id: owner.client_id, client_secret: owner.client_secret, username: owner.username, password: owner.password },
    expireTokens() {
      for (const token of accessTokens.values()) token.expiresAt = 0;
    },
    updateParticipant(eventId, participantId, changes) {
      const participant = participantsOf(eventId).find((p) => p.participantId === participantId);
      if (!participant) throw new Error(`The Race Roster simulator has no participant ${participantId} in event ${eventId}.`);
      Object.assign(participant, changes, { lastModifiedDate: stamp() });
      return participant;
    },
    addParticipant(eventId, subEventId, fields) {
      const list = participantsOf(eventId);
      const template = list.find((p) => p.subEventId === subEventId) ?? list[0];
      const participant: RaceRosterParticipantRecord = {
        ...structuredClone(template),
        ...fields,
        participantId: dataset.nextParticipantId++,
        subEventId,
        registrationDate: stamp(),
        lastModifiedDate: utcOffsetTime(dataset.clock),
      };
      list.push(participant);
      return participant;
    },
    corruptParticipant(eventId, position, breakage = { subEventId: 'not-a-number' }) {
      const participant = participantsOf(eventId)[position - 1];
      if (!participant) throw new Error(`Event ${eventId} has no participant at position ${position}.`);
      Object.assign(participant, breakage);
    },
    close: () => sim.close(),
  };
}
