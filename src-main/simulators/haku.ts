import { readForm, startSimulator, type RunningSimulator, type SimRequest, type SimResponse } from './kit.ts';
import { pageSize, simulatorMaxPageSize } from '../core/providers/haku/assumptions.ts';
import {
  createHakuDataset,
  isoSeconds,
  type HakuDataset,
  type HakuDatasetOptions,
  type HakuOrganization,
  type HakuRegistrationRecord,
} from '../datasets/haku.ts';

/*
 * A local Haku (../shared/providers/haku.md §1 and §5): a Cognito-style POST /oauth2/token
 * (Basic client credentials), and GET /events, /events/{id}/participants (summaries, sortable by
 * updated_at) and /events/{id}/registrations/{n} (detail), each accepting the token raw or as
 * "Bearer <token>", with API Gateway's error bodies.
 */

/**
 * Demo mode: the main organization's 2 events of 150 registrations (300 in all). Each is one
 * detail request, so at the default budget of 3,600 requests an hour a first full sync takes
 * about four minutes, as it would against Haku.
 */
export const demoRegistrationsPerEvent = 150;

export interface HakuSimulatorOptions extends HakuDatasetOptions {
  dataset?: HakuDataset;
  port?: number;
  host?: string;
  /** expires_in of issued tokens (Cognito's default is 3600 s). */
  tokenLifetimeSeconds?: number;
  /** The largest page served whatever per_page is asked (tests use small pages). */
  maxPageSize?: number;
  /** Pages of this size whatever per_page is asked, as a server would that ignores it (sources disagree on Haku's maximum: 25 or 500). */
  servedPageSize?: number;
}

export interface HakuSimulator {
  sim: RunningSimulator;
  /** The API base URL (the token endpoint is /oauth2/token on the same origin). */
  url: string;
  dataset: HakuDataset;
  /** The organization that owns the main events, as a secret for accounts.add. */
  secret: { client_id: string; client_secret: string };
  expireTokens(): void;
  /** Changes a registration (top-level fields, or `participant` fields merged) and stamps updated_at. */
  updateRegistration(eventId: string, registrationNumber: string, changes: Record<string, unknown>): HakuRegistrationRecord;
  addRegistration(eventId: string, participant: Record<string, unknown>): HakuRegistrationRecord;
  /** Breaks one registration's detail (by registration number) so its page is malformed. */
  corruptRegistration(eventId: string, registrationNumber: string, breakage?: Record<string, unknown>): void;
  close(): Promise<void>;
}

const unauthorized: SimResponse = { status: 401, body: { message: 'Unauthorized' } };
const forbidden: SimResponse = { status: 403, body: { message: 'Forbidden' } };
const notFound: SimResponse = { status: 404, body: { message: 'Not Found' } };

export function summaryOf(registration: HakuRegistrationRecord): Record<string, unknown> {
  const participant = registration.participant as Record<string, unknown>;
  const category = (registration.event_categories as Array<{ name?: string }> | undefined)?.[0];
  return {
    registration_number: registration.registration_number,
    person_full_name: [participant.first_name, participant.last_name].filter(Boolean).join(' '),
    email: participant.email,
    age: null,
    gender: participant.gender,
    team: registration.team ?? null,
    event_category_info: category?.name ?? null,
    is_cancelled: registration.is_cancelled,
    registered_at: registration.created_at,
    updated_at: registration.updated_at,
    transaction_amount: registration.transaction_amount,
  };
}

export async function startHakuSimulator(options: HakuSimulatorOptions = {}): Promise<HakuSimulator> {
  const dataset = options.dataset ?? createHakuDataset(options);
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const pageCap = options.maxPageSize ?? simulatorMaxPageSize;
  const tokens = new Map<string, { organization: HakuOrganization; expiresAt: number }>();
  let issued = 0;

  function token(request: SimRequest): SimResponse {
    const form = readForm(request.body);
    const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''));
    const [clientId, clientSecret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    const organization = dataset.organizations.find((o) => o.client_id === clientId && o.client_secret === clientSecret);
    if (!organization) return { status: 400, body: { error: 'invalid_client' } };
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    issued++;
    const accessToken = `haku-jwt-${issued}-${organization.client_id}`;
    tokens.set(accessToken, { organization, expiresAt: Date.now() + lifetime * 1000 });
    return { body: { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' } };
  }

  function caller(request: SimRequest): HakuOrganization | null {
    // API Gateway's Cognito authorizer takes the token raw, and also after "Bearer ".
    const value = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    const entry = tokens.get(value);
    return entry && Date.now() < entry.expiresAt ? entry.organization : null;
  }

  function paged<T>(request: SimRequest, items: T[]) {
    const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
    const perPage = options.servedPageSize ?? Math.min(pageCap, Math.max(1, Number(request.query.get('per_page') ?? pageSize) || pageSize));
    return {
      slice: items.slice((page - 1) * perPage, page * perPage),
      meta: { page, per_page: perPage, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) },
    };
  }

  function sorted<T extends Record<string, unknown>>(request: SimRequest, items: T[], fallback: string): T[] {
    const column = request.query.get('sort_column') ?? fallback;
    const direction = request.query.get('sort_direction') === 'desc' ? -1 : 1;
    // Array sort is stable: ties keep the dataset's order, so page boundaries do not shuffle between requests.
    return [...items].sort((a, b) => direction * String(a[column] ?? '').localeCompare(String(b[column] ?? '')));
  }

  const route = (request: SimRequest): SimResponse => {
    if (request.method === 'POST' && request.path === '/oauth2/token') return token(request);
    const api = /^\/events(?:\/([^/]+)(?:\/(participants)|\/registrations\/([^/]+))?)?$/.exec(request.path);
    if (!api || request.method !== 'GET') return notFound;
    const organization = caller(request);
    if (!organization) return unauthorized;

    if (!api[1]) {
      const showInactive = request.query.get('show_inactive') === 'true';
      const own = dataset.events
        .filter((e) => e.organizationId === organization.organizationId)
        .filter((e) => showInactive || e.status === 'active');
      const { slice, meta } = paged(request, sorted(request, own, 'event_date'));
      return { body: { events: slice.map(({ organizationId: _org, ...event }) => event), meta } };
    }

    const event = dataset.events.find((e) => e.id === decodeURIComponent(api[1]));
    if (!event) return notFound;
    if (event.organizationId !== organization.organizationId) return forbidden;
    const registrations = dataset.registrations.get(event.id) ?? [];
    if (api[2]) {
      const { slice, meta } = paged(request, sorted(request, registrations, 'created_at'));
      return { body: { participants: slice.map(summaryOf), meta } };
    }
    if (api[3]) {
      const registration = registrations.find((r) => r.registration_number === decodeURIComponent(api[3]));
      return registration ? { body: registration } : notFound;
    }
    return { body: event };
  };

  const sim = await startSimulator({ route, port: options.port, host: options.host });
  const owner = dataset.organizations[0];
  const stamp = () => isoSeconds((dataset.clock += 60_000));

  function registrationsOf(eventId: string): HakuRegistrationRecord[] {
    const list = dataset.registrations.get(eventId);
    if (!list) throw new Error(`The Haku simulator has no event ${eventId}.`);
    return list;
  }
  function find(eventId: string, registrationNumber: string): HakuRegistrationRecord {
    const registration = registrationsOf(eventId).find((r) => r.registration_number === registrationNumber);
    if (!registration) throw new Error(`The Haku simulator has no registration ${registrationNumber} in event ${eventId}.`);
    return registration;
  }

  return {
    sim,
    url: sim.url,
    dataset,
    secret: { client_id: owner.client_id, client_secret: owner.client_secret },
    expireTokens() {
      for (const entry of tokens.values()) entry.expiresAt = 0;
    },
    updateRegistration(eventId, registrationNumber, changes) {
      const registration = find(eventId, registrationNumber);
      const { participant, ...rest } = changes as { participant?: Record<string, unknown> };
      Object.assign(registration, rest, { updated_at: stamp() });
      if (participant) Object.assign(registration.participant, participant);
      return registration;
    },
    addRegistration(eventId, participant) {
      const list = registrationsOf(eventId);
      const template = structuredClone(list[0]);
      const now = stamp();
      const registration: HakuRegistrationRecord = {
        ...template,
        registration_number: `R-${dataset.nextRegistrationNumber++}`,
        created_at: now,
        updated_at: now,
        is_cancelled: false,
        cancelled_at: null,
        participant: { ...template.participant, ...participant },
      };
      list.push(registration);
      return registration;
    },
    corruptRegistration(eventId, registrationNumber, breakage = { participant: 'not an object' }) {
      Object.assign(find(eventId, registrationNumber), breakage);
    },
    close: () => sim.close(),
  };
}
