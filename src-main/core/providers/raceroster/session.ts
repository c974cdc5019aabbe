import { RaceDeskError } from '../../errors.ts';
import { mapInSteps } from '../../event-loop.ts';
import type { HttpResponse } from '../http.ts';
import type { FetchOptions, Page, ProviderEvent, ProviderSession, SessionContext } from '../types.ts';
import {
  countsParticipantsOf,
  eventsPageSize,
  participantsPageSize,
  participantsSinceParam,
  participantsSubEventParam,
} from './assumptions.ts';
import { lenientParse, type RecordIssue } from '../record-problems.ts';
import { errorText, RaceRosterClient, type RaceRosterSecret } from './client.ts';
import {
  eventSchema,
  mapEventRows,
  mapParticipantRow,
  participantSchema,
  toUtcIso,
  type RaceRosterEvent,
} from './mapping.ts';

/*
 * A Race Roster account's session: events (GET /events, offset/limit, a short page ends the list)
 * and each event's participants (GET /events/{id}/participants, offset/limit with
 * metadata.totalResults). Incremental runs pass the newest lastModifiedDate seen by the last
 * complete run as `lastModifiedDate` (>=): the boundary records come again and are upserted by
 * registration id, so nothing is duplicated and nothing modified in the same second is skipped.
 */
export function connectRaceRoster(context: SessionContext<RaceRosterSecret>, now: () => Date = () => new Date()): ProviderSession {
  const client = new RaceRosterClient(context.http, context.baseUrl, context.secret, context.accountLabel);
  /** Events seen by listEvents, for the sub-event names participants are filed under. */
  const known = new Map<number, RaceRosterEvent>();

  function rowContext() {
    return { accountLabel: context.accountLabel, timingPartnerId: context.timingPartnerId, fetchedAt: now().toISOString() };
  }

  function expectOk(response: HttpResponse, what: string): void {
    if (response.status === 200) return;
    if (response.status === 403) {
      // One event this account may not read fails that event only; the run goes on.
      throw new RaceDeskError(
        'access_denied',
        `Race Roster does not let account "${context.accountLabel}" read ${what} (HTTP 403: ${errorText(response)}). ` +
          'Ask the event organiser to give this account timer access to the event.',
      );
    }
    if (response.status === 404) {
      throw new RaceDeskError('not_found', `Race Roster has no ${what} (HTTP 404); it may have been deleted or unpublished.`);
    }
    throw new RaceDeskError('provider_error', `Race Roster answered HTTP ${response.status} for ${what}: ${errorText(response)}.`);
  }

  function dataArray(response: HttpResponse, what: string): unknown[] {
    const data = (response.body as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(data)) {
      throw new RaceDeskError('provider_error', `Race Roster's answer for ${what} has no "data" list; the API may have changed.`);
    }
    return data;
  }

  /** An event without a readable id, name or start is skipped (and reported); an odd other field is NULL. */
  function parseEvent(record: unknown, where: string, problems: RecordIssue[]): RaceRosterEvent | null {
    return lenientParse(eventSchema, record, { key: ['eventId', 'name', 'startDate'], what: 'event', where: `Race Roster ${where}`, problems });
  }

  async function countsFor(event: RaceRosterEvent, signal?: AbortSignal): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    if (!countsParticipantsOf(toUtcIso(event.startDate), now())) return counts;
    for (const subEvent of event.subEvents.data) {
      const response = await client.get(
        `events/${event.eventId}/participants`,
        { limit: 1, offset: 0, [participantsSubEventParam]: subEvent.subEventId },
        signal,
      );
      // A count is a nicety: an event whose participants this account may not read still lists.
      if (response.status !== 200) continue;
      const total = (response.body as { metadata?: { totalResults?: unknown } } | undefined)?.metadata?.totalResults;
      if (typeof total === 'number' && Number.isInteger(total)) counts.set(subEvent.subEventId, total);
    }
    return counts;
  }

  function toProviderEvent(event: RaceRosterEvent, counts: Map<number, number>): ProviderEvent {
    return {
      eventId: String(event.eventId),
      name: event.name,
      startsAt: toUtcIso(event.startDate),
      rows: mapEventRows(event, { ...rowContext(), counts }),
    };
  }

  async function eventById(eventId: number, signal?: AbortSignal): Promise<RaceRosterEvent> {
    const cached = known.get(eventId);
    if (cached) return cached;
    const what = `event ${eventId}`;
    const response = await client.get(`events/${eventId}`, {}, signal);
    expectOk(response, what);
    // GET /events/{id} answers under "data", as an object or a one-element list.
    const data = (response.body as { data?: unknown } | undefined)?.data;
    const event = parseEvent(Array.isArray(data) ? data[0] : data, what, []);
    if (!event) throw new RaceDeskError('provider_error', `Race Roster's answer for ${what} has no readable event.`);
    known.set(eventId, event);
    return event;
  }

  return {
    async verifyCredentials() {
      await client.authenticate();
      const response = await client.get('events', { limit: 1, offset: 0 });
      expectOk(response, 'its event list');
    },

    async listEvents(signal, listOptions = {}) {
      const events: ProviderEvent[] = [];
      const problems = listOptions.problems ?? [];
      for (let offset = 0, page = 1; ; offset += eventsPageSize, page++) {
        const what = `the event list (page ${page})`;
        const response = await client.get('events', { offset, limit: eventsPageSize, sort: 'startDate', order: 'asc' }, signal);
        expectOk(response, what);
        const records = dataArray(response, what);
        for (const record of records) {
          const event = parseEvent(record, what, problems);
          if (!event) continue;
          known.set(event.eventId, event);
          events.push(toProviderEvent(event, await countsFor(event, signal)));
        }
        if (records.length < eventsPageSize) return events;
      }
    },

    participantPages(providerEvent: ProviderEvent, options: FetchOptions): AsyncIterable<Page> {
      return participantPages(providerEvent, options);
    },
  };

  async function* participantPages(providerEvent: ProviderEvent, options: FetchOptions): AsyncGenerator<Page> {
    const eventId = Number(providerEvent.eventId);
    const event = await eventById(eventId, options.signal);
    const subEventNames = new Map(event.subEvents.data.map((s) => [s.subEventId, s.name]));
    let newest = options.since;
    let servedPageSize: number | null = null;
    for (let offset = 0, page = 1; ; page++) {
      const where = `event ${eventId}, participants page ${page}`;
      const response = await client.get(
        `events/${eventId}/participants`,
        { offset, limit: participantsPageSize, [participantsSinceParam]: options.since ?? undefined },
        options.signal,
      );
      expectOk(response, `the participants of event ${eventId} (page ${page})`);
      const records = dataArray(response, where);
      const total = (response.body as { metadata?: { totalResults?: unknown } }).metadata?.totalResults;
      const totalResults = typeof total === 'number' && Number.isInteger(total) ? total : null;

      const problems: RecordIssue[] = [];
      const rows = await mapInSteps(records, (record) => {
        const participant = lenientParse(participantSchema, record, {
          key: ['participantId', 'subEventId'],
          what: 'participant',
          where: `Race Roster ${where}`,
          problems,
        });
        if (!participant) return null;
        // A sub-event added after the listing was read still files its participants; its name
        // comes with the next listing.
        const modified = participant.lastModifiedDate ? toUtcIso(participant.lastModifiedDate) : null;
        if (modified && (newest === null || modified > newest)) newest = modified;
        return mapParticipantRow(participant, {
          ...rowContext(),
          eventId,
          subEventName: subEventNames.get(participant.subEventId) ?? null,
        });
      });

      // The server may serve smaller pages than asked (the maximum is undocumented): the first
      // page's size, not ours, tells how many pages there are.
      servedPageSize ??= records.length;
      const pageCount = totalResults === null || servedPageSize === 0 ? null : Math.max(1, Math.ceil(totalResults / servedPageSize));
      yield { rows, ...(problems.length ? { problems } : {}), page, pageCount, cursorAfter: newest };
      offset += records.length;
      const done = records.length === 0 || (totalResults !== null ? offset >= totalResults : records.length < participantsPageSize);
      if (done) return;
    }
  }
}
