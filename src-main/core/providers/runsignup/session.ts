import { RaceDeskError } from '../../errors.ts';
import { forEachInSteps, mapInSteps } from '../../event-loop.ts';
import type { FetchOptions, Page, ProviderEvent, ProviderSession, SessionContext, TableRow } from '../types.ts';
import { RunSignUpClient } from './client.ts';
import { publishRunSignUpResults } from './results-upload.ts';
import type { RunSignUpSecret } from './auth.ts';
import type { RecordIssue } from '../record-problems.ts';
import {
  cleanName,
  eventRow,
  parseParticipant,
  parseRace,
  parseRemovedParticipant,
  participantRow,
  removedRow,
  type RowContext,
  type RunSignUpRace,
} from './mapping.ts';

export interface RunSignUpSessionOptions {
  /** Participants per request. RunSignUp's maximum is undocumented; 1000 is what PikaTimer uses. */
  participantPageSize?: number;
  /** Races per /races request (documented maximum 1000). */
  racePageSize?: number;
}

export const defaultParticipantPageSize = 1000;
const defaultRacePageSize = 100;

/*
 * Participant includes we ask for. Questions carry emergency contacts and shirt sizes crews need
 * at pickup; addons are what was bought; check-in data tells who already collected a packet;
 * fundraisers fill fundraiser_charity_name.
 */
const participantIncludes = {
  include_questions: 'T',
  include_registration_addons: 'T',
  include_checkin_data: 'T',
  include_fundraisers: 'T',
} as const;

export function createRunSignUpSession(
  context: SessionContext<RunSignUpSecret>,
  options: RunSignUpSessionOptions = {},
): ProviderSession {
  const client = new RunSignUpClient(context.http, context.secret, context.saveSecret);
  const participantPageSize = options.participantPageSize ?? defaultParticipantPageSize;
  const racePageSize = options.racePageSize ?? defaultRacePageSize;
  const rowContext = (): RowContext => ({
    accountLabel: context.accountLabel,
    timingPartnerId: context.timingPartnerId,
    fetchedAt: new Date().toISOString(),
  });

  return {
    async verifyCredentials() {
      // There is no login call for API keys: a one-race listing proves the key (PikaTimer does the same).
      await client.get('races', { results_per_page: 1, page: 1, only_partner_races: 'T' }, 'the race list');
    },

    async listEvents(signal, listOptions = {}) {
      const events: ProviderEvent[] = [];
      for (let page = 1; ; page++) {
        const where = `RunSignUp race list, page ${page}`;
        const body = await client.get(
          'races',
          {
            events: 'T',
            only_partner_races: 'T',
            page,
            results_per_page: racePageSize,
            sort: 'date ASC',
            // Without it /races lists "only the most current events" (field check §2, R4).
            start_date: listOptions.startDate,
          },
          'the race list',
          signal,
        );
        const races = (body as { races?: unknown }).races;
        if (!Array.isArray(races)) {
          throw new RaceDeskError('provider_error', `${where}: the answer has no "races" list.`);
        }
        const context = rowContext();
        for (const wrapped of races) {
          // Each element wraps the race in a "race" key.
          const race = parseRace((wrapped as { race?: unknown } | null)?.race, where, listOptions.problems ?? []);
          if (race) events.push(...eventsOfRace(race, context));
        }
        // No total in the body: a short page is the last one.
        if (races.length < racePageSize) return events;
      }
    },

    async fetchEvents(wanted, signal) {
      // GET /race/{id} returns every event of the race, past ones included (R6); an event id is
      // reached through the race an earlier sync stored it under.
      const events: ProviderEvent[] = [];
      const raceIds = [...new Set(wanted.map((known) => known.groupId ?? known.id))];
      for (const raceId of raceIds) {
        if (!/^\d+$/.test(raceId)) continue;
        let body: unknown;
        try {
          body = await client.get(`race/${raceId}`, { events: 'T' }, `race ${raceId}`, signal);
        } catch (error) {
          // A race this account cannot read is left out; the runner names it as not found.
          if (error instanceof RaceDeskError && (error.code === 'not_found' || error.code === 'access_denied')) continue;
          throw error;
        }
        const race = parseRace((body as { race?: unknown } | null)?.race, `RunSignUp race ${raceId}`, []);
        if (!race) throw new RaceDeskError('provider_error', `RunSignUp race ${raceId}: the answer has no readable race.`);
        const ofRace = eventsOfRace(race, rowContext());
        const asked = wanted.filter((known) => (known.groupId ?? known.id) === raceId);
        events.push(...(asked.some((known) => known.eventId === null || known.id === raceId) ? ofRace : ofRace.filter((e) => asked.some((k) => k.eventId === e.eventId))));
      }
      return events;
    },

    participantPages(event, options) {
      return participantPages(client, event, options, participantPageSize, rowContext);
    },

    publishResults: (upload) => publishRunSignUpResults(client, upload),
  };
}

function eventsOfRace(race: RunSignUpRace, context: RowContext): ProviderEvent[] {
  return race.events.map((event) => {
    const row = eventRow(race, event, context);
    return {
      eventId: String(event.event_id),
      name: cleanName(event.name, `Event ${event.event_id}`),
      startsAt: row.start_time as string | null,
      groupId: String(race.race_id),
      groupName: cleanName(race.name, `Race ${race.race_id}`),
      rows: [row],
    };
  });
}

function raceIdOf(event: ProviderEvent): string {
  const raceId = event.groupId ?? (event.rows[0]?.race_id as number | undefined);
  if (raceId === undefined || raceId === null) {
    throw new RaceDeskError('invalid_input', `RunSignUp event ${event.eventId} has no race id; list the events again.`);
  }
  return String(raceId);
}

function parseCursor(since: string | null): number | null {
  if (since === null) return null;
  const value = Number(since);
  if (!Number.isInteger(value) || value < 0) {
    throw new RaceDeskError('invalid_input', `RunSignUp sync cursor "${since}" is not a timestamp; run a full sync.`);
  }
  return value;
}

async function* participantPages(
  client: RunSignUpClient,
  event: ProviderEvent,
  options: FetchOptions,
  pageSize: number,
  rowContext: () => RowContext,
): AsyncGenerator<Page> {
  const raceId = raceIdOf(event);
  const since = parseCursor(options.since);
  let newest = since;
  // Keyset paging (after_registration_id, as mtec's client does) rather than page numbers: a
  // refund or transfer during a long sync removes a registration from an earlier page, which
  // would shift page N+1 by one and silently skip a registration with page numbers.
  let afterRegistrationId: number | null = null;
  for (let page = 1; ; page++) {
    const where = `RunSignUp event ${event.eventId}, page ${page}`;
    const body = await client.get(
      `race/${raceId}/participants`,
      {
        event_id: event.eventId,
        results_per_page: pageSize,
        sort: 'registration_id',
        after_registration_id: afterRegistrationId ?? undefined,
        // RunSignUp compares last_modified >= this value (mtec's "implements comparison incorrectly"),
        // so records stamped exactly at the cursor come again. We send the cursor itself anyway: a
        // registration saved in that same second after our last run would be lost with cursor+1, and
        // fetching a boundary record twice is harmless because rows are upserted by registration_id.
        modified_after_timestamp: since ?? undefined,
        ...participantIncludes,
      },
      `the participants of event ${event.eventId}`,
      options.signal,
    );
    const records = participantsOf(body, event.eventId, where);
    const context = rowContext();
    const rows: TableRow[] = [];
    const problems: RecordIssue[] = [];
    const pageStart = afterRegistrationId;
    await forEachInSteps(records, (raw) => {
      const record = parseParticipant(raw, where, problems);
      if (record === null) return;
      if (String(record.event_id) !== event.eventId) {
        throw new RaceDeskError(
          'provider_error',
          `${where}: registration ${record.registration_id} belongs to event ${record.event_id}, not to the event asked for.`,
        );
      }
      if (pageStart !== null && record.registration_id <= pageStart) {
        // Without this guard an API that ignored after_registration_id would loop forever.
        throw new RaceDeskError(
          'provider_error',
          `${where}: RunSignUp returned registration ${record.registration_id} again although only ids after ${pageStart} were asked for.`,
        );
      }
      rows.push(participantRow(Number(raceId), record, context));
      if (record.last_modified != null && (newest === null || record.last_modified > newest)) newest = record.last_modified;
      if (afterRegistrationId === null || record.registration_id > afterRegistrationId) afterRegistrationId = record.registration_id;
    });
    const last = records.length < pageSize;
    const removals = last ? await removedRegistrations(client, raceId, event.eventId, since, pageSize, problems, rowContext(), options.signal) : [];
    const deletedKeys = removals.map((removal) => ({ registration_id: removal.registration_id }));
    yield {
      rows,
      ...(problems.length ? { problems } : {}),
      ...(deletedKeys.length ? { deletedKeys, removals } : {}),
      page,
      cursorAfter: newest === null ? null : String(newest),
    };
    if (last) return;
  }
}

/** The participants list of one event out of the per-event array RunSignUp answers with. */
function participantsOf(body: unknown, eventId: string, where: string): unknown[] {
  if (!Array.isArray(body)) {
    throw new RaceDeskError('provider_error', `${where}: expected a list of events with participants, got ${describe(body)}.`);
  }
  const element = body.find(
    (e) => String((e as { event?: { event_id?: unknown } } | null)?.event?.event_id) === eventId,
  ) as { participants?: unknown } | undefined;
  if (!element) {
    // With a single event_id RunSignUp answers one element; tolerate one without an event object.
    if (body.length === 1 && Array.isArray((body[0] as { participants?: unknown })?.participants)) {
      return (body[0] as { participants: unknown[] }).participants;
    }
    throw new RaceDeskError('provider_error', `${where}: the answer does not contain event ${eventId}.`);
  }
  if (!Array.isArray(element.participants)) {
    throw new RaceDeskError('provider_error', `${where}: "participants" is not a list.`);
  }
  return element.participants;
}

/**
 * Registrations RunSignUp reports as removed (refunds, transfers: a transfer gets a new
 * registration id, the old one shows up here), as rows of the removals table that keep the
 * reason and a transfer's new registration id. Fetched after the participant pages so that a
 * removal made during this run is newer than the cursor and is seen again next time.
 * On a full sync the whole list is applied, so a reset cursor still catches old removals.
 */
async function removedRegistrations(
  client: RunSignUpClient,
  raceId: string,
  eventId: string,
  since: number | null,
  pageSize: number,
  problems: RecordIssue[],
  context: RowContext,
  signal?: AbortSignal,
): Promise<TableRow[]> {
  const removals: TableRow[] = [];
  for (let page = 1; ; page++) {
    const where = `RunSignUp removed registrations of event ${eventId}, page ${page}`;
    const body = await client.get(
      `race/${raceId}/removed-participants`,
      {
        event_id: eventId,
        page,
        results_per_page: pageSize,
        modified_after_timestamp: since ?? undefined,
        condensed_format: 'F',
      },
      `the removed registrations of event ${eventId}`,
      signal,
    );
    if (!Array.isArray(body)) {
      throw new RaceDeskError('provider_error', `${where}: expected a list of events, got ${describe(body)}.`);
    }
    // Unlike /participants, the removed list nests participants inside "event".
    const element = body.find((e) => String((e as { event?: { event_id?: unknown } })?.event?.event_id) === eventId) as
      | { event: { participants?: unknown } }
      | undefined;
    const records = element?.event.participants ?? [];
    if (!Array.isArray(records)) {
      throw new RaceDeskError('provider_error', `${where}: "participants" is not a list.`);
    }
    removals.push(
      ...(await mapInSteps(records, (raw) => {
        const removed = parseRemovedParticipant(raw, where, problems);
        return removed && removedRow(Number(raceId), Number(eventId), removed, context);
      })),
    );
    if (records.length < pageSize) return removals;
  }
}

function describe(body: unknown): string {
  if (body === undefined) return 'no JSON';
  if (Array.isArray(body)) return 'a list';
  if (typeof body === 'object' && body !== null) return `an object with ${Object.keys(body).slice(0, 5).join(', ') || 'no keys'}`;
  return typeof body;
}
