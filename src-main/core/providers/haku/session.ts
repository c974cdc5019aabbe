import { RaceDeskError } from '../../errors.ts';
import { forEachInSteps } from '../../event-loop.ts';
import type { HttpResponse } from '../http.ts';
import type { FetchOptions, Page, ProviderEvent, ProviderSession, SessionContext } from '../types.ts';
import { eventsEnvelope, pageSize, participantsEnvelope, summaryUpdatedAtField } from './assumptions.ts';
import { lenientParse, type RecordIssue } from '../record-problems.ts';
import { errorText, HakuClient, type HakuSecret } from './client.ts';
import {
  detailSchema,
  eventSchema,
  mapEventRow,
  mapParticipantRow,
  summarySchema,
  toUtcIso,
  type HakuSummary,
} from './mapping.ts';

/*
 * A Haku organization's session. Events: GET /events, page/per_page with meta.total_pages.
 * Participants: GET /events/{id}/participants gives only a summary, so each registration is read
 * in detail (GET /events/{id}/registrations/{n}): a full sync costs 1 + N requests per event.
 *
 * Incremental: Haku has no updated-since filter for participants (none is known, not even an
 * assumed one). The list is sorted by updated_at descending, and a run stops at the first
 * registration updated before the last complete run's cursor; only newer ones are read in
 * detail. Registrations updated exactly at the cursor are read again and upserted by
 * registration number, so nothing is duplicated.
 */
export function connectHaku(context: SessionContext<HakuSecret>, now: () => Date = () => new Date()): ProviderSession {
  const client = new HakuClient(context.http, context.baseUrl, context.secret, context.accountLabel);
  const rowContext = () => ({ accountLabel: context.accountLabel, timingPartnerId: context.timingPartnerId, fetchedAt: now().toISOString() });

  function expectOk(response: HttpResponse, what: string): void {
    if (response.status === 200) return;
    if (response.status === 403) {
      // One event this account may not read fails that event only; the run goes on.
      throw new RaceDeskError(
        'access_denied',
        `Haku does not let account "${context.accountLabel}" read ${what} (HTTP 403: ${errorText(response)}). ` +
          "Haku API clients see only their own organization's events: use that organization's client_id.",
      );
    }
    if (response.status === 404) throw new RaceDeskError('not_found', `Haku has no ${what} (HTTP 404).`);
    throw new RaceDeskError('provider_error', `Haku answered HTTP ${response.status} for ${what}: ${errorText(response)}.`);
  }

  /** Haku lists come as a bare array or wrapped as {"<name>": [...], "meta": {...}}. */
  function listOf(response: HttpResponse, envelope: string, what: string): { items: unknown[]; totalPages: number | null } {
    const body = response.body as Record<string, unknown> | unknown[] | undefined;
    const items = Array.isArray(body) ? body : body?.[envelope];
    if (!Array.isArray(items)) {
      throw new RaceDeskError('provider_error', `Haku's answer for ${what} has no "${envelope}" list; the API may have changed.`);
    }
    const meta = Array.isArray(body) ? undefined : (body?.meta as { total_pages?: unknown } | undefined);
    const totalPages = typeof meta?.total_pages === 'number' && Number.isInteger(meta.total_pages) ? meta.total_pages : null;
    return { items, totalPages };
  }

  const morePages = (page: number, received: number, totalPages: number | null) =>
    received > 0 && (totalPages !== null ? page < totalPages : received >= pageSize);

  return {
    async verifyCredentials() {
      await client.authenticate();
      expectOk(await client.get('events', { page: 1, per_page: 1 }), 'its event list');
    },

    async listEvents(signal, listOptions = {}) {
      const events: ProviderEvent[] = [];
      const problems = listOptions.problems ?? [];
      for (let page = 1; ; page++) {
        const what = `the event list (page ${page})`;
        // show_inactive: a finished or closed event is still one a crew may be timing or correcting.
        const response = await client.get(
          'events',
          { page, per_page: pageSize, sort_column: 'event_date', sort_direction: 'asc', show_inactive: true },
          signal,
        );
        expectOk(response, what);
        const { items, totalPages } = listOf(response, eventsEnvelope, what);
        for (const item of items) {
          const event = lenientParse(eventSchema, item, { key: ['id'], what: 'event', where: `Haku ${what}`, problems });
          if (event === null) continue;
          events.push({ eventId: event.id, name: event.name, startsAt: toUtcIso(event.event_date ?? ''), rows: [mapEventRow(event, rowContext())] });
        }
        if (!morePages(page, items.length, totalPages)) return events;
      }
    },

    participantPages: (event, options) => participantPages(event, options),
  };

  async function* participantPages(event: ProviderEvent, options: FetchOptions): AsyncGenerator<Page> {
    const eventId = event.eventId;
    const since = options.since ? toUtcIso(options.since) : null;
    let newest = since;
    for (let page = 1; ; page++) {
      const where = `event ${eventId}, participants page ${page}`;
      const response = await client.get(
        `events/${encodeURIComponent(eventId)}/participants`,
        { page, per_page: pageSize, sort_column: summaryUpdatedAtField, sort_direction: 'desc' },
        options.signal,
      );
      expectOk(response, `the participants of event ${eventId} (page ${page})`);
      const { items, totalPages } = listOf(response, participantsEnvelope, where);

      const changed: HakuSummary[] = [];
      const problems: RecordIssue[] = [];
      const at = { key: ['registration_number'], what: 'registration', where: `Haku ${where}`, problems };
      let reachedOlder = false;
      await forEachInSteps(items, (item) => {
        const summary = lenientParse(summarySchema, item, at);
        if (summary === null) return;
        const updated = summary.updated_at ? toUtcIso(summary.updated_at) : null;
        if (since !== null && updated !== null && updated < since) {
          reachedOlder = true;
          return false;
        }
        if (updated !== null && (newest === null || updated > newest)) newest = updated;
        changed.push(summary);
      });

      const rows = [];
      for (const summary of changed) {
        const number = summary.registration_number;
        const what = `registration ${number} of event ${eventId}`;
        const detailResponse = await client.get(
          `events/${encodeURIComponent(eventId)}/registrations/${encodeURIComponent(number)}`,
          {},
          options.signal,
        );
        expectOk(detailResponse, what);
        if (detailResponse.body === undefined) throw new RaceDeskError('provider_error', `Haku sent ${what} that is not JSON.`);
        const body = detailResponse.body;
        const detail = lenientParse(detailSchema, typeof body === 'object' && body !== null && !Array.isArray(body) ? { registration_number: number, ...body } : body, at);
        if (detail === null) continue;
        rows.push(mapParticipantRow(detail, summary, { ...rowContext(), eventId }));
      }

      yield { rows, ...(problems.length ? { problems } : {}), page, pageCount: totalPages, cursorAfter: newest };
      if (reachedOlder || !morePages(page, items.length, totalPages)) return;
    }
  }
}

