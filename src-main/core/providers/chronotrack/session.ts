import type { FetchOptions, Page, ProviderEvent, ProviderSession, SessionContext, TableRow } from '../types.ts';
import { chronotrackAssumptions } from './assumptions.ts';
import { ChronotrackClient, type ChronotrackSecret } from './client.ts';
import { entryRow, eventRow, ResultAssembler, type RowContext } from './mapping.ts';
import { lenientRecord, recordId, type RecordIssue } from '../record-problems.ts';

/*
 * ChronoTrack has no modified-since filter (chronotrack.md §4.2), so participants and results are
 * full re-pulls every time: pages upsert by entry_id / (event_id, entry_id), so nothing
 * duplicates, and cursorAfter stays null.
 */
export function createChronotrackSession(context: SessionContext<ChronotrackSecret>): ProviderSession {
  const client = new ChronotrackClient(context.http, context.secret, context.accountLabel);
  const rowContext: RowContext = { accountLabel: context.accountLabel, timingPartnerId: context.timingPartnerId };
  const testEntries: Record<string, string> = chronotrackAssumptions.includeTestEntries ? { include_test_entries: 'true' } : {};

  return {
    async verifyCredentials() {
      // No login call exists: a one-row event listing proves client_id and the user together.
      await client.get('event', { page: 1, size: 1 }, 'the event list');
    },

    async listEvents(signal, listOptions = {}) {
      const events: ProviderEvent[] = [];
      const problems = listOptions.problems ?? [];
      for await (const page of client.pages('event', 'event', {}, 'the event list', signal)) {
        page.items.forEach((raw, index) => {
          const row = lenientRecord(
            () => eventRow(raw, rowContext),
            { what: 'event', where: `ChronoTrack event list, page ${page.page}`, id: recordId(raw, 'event_id') ?? `#${index + 1} on the page` },
            problems,
          );
          if (row === null) return;
          events.push({
            eventId: String(row.event_id),
            name: (row.event_name as string | null) ?? `ChronoTrack event ${row.event_id}`,
            startsAt: (row.event_start_time as string | null) ?? (row.event_date as string | null),
            rows: [row],
          });
        });
      }
      return events;
    },

    participantPages(event, options) {
      return entryPages(client, event, options, rowContext, testEntries);
    },

    resultPages(event, options) {
      return resultPages(client, event, options, rowContext, testEntries);
    },
  };
}

async function* entryPages(
  client: ChronotrackClient,
  event: ProviderEvent,
  options: FetchOptions,
  rowContext: RowContext,
  testEntries: Record<string, string>,
): AsyncGenerator<Page> {
  const query = { elide_json: 'false', contact_details: 'true', need_athlete_birthdate: 'true', ...testEntries };
  const what = `the entries of event ${event.eventId}`;
  for await (const page of client.pages(`event/${event.eventId}/entry`, 'event_entry', query, what, options.signal)) {
    const problems: RecordIssue[] = [];
    const rows = page.items
      .map((raw, index) =>
        lenientRecord(
          () => entryRow(raw, event.eventId, rowContext),
          { what: 'entry', where: `ChronoTrack event ${event.eventId}, entries page ${page.page}`, id: recordId(raw, 'entry_id') ?? `#${index + 1} on the page` },
          problems,
        ),
      )
      .filter((row): row is TableRow => row !== null);
    yield { rows, ...(problems.length ? { problems } : {}), page: page.page, pageCount: page.pageCount, cursorAfter: null };
  }
}

async function* resultPages(
  client: ChronotrackClient,
  event: ProviderEvent,
  options: FetchOptions,
  rowContext: RowContext,
  testEntries: Record<string, string>,
): AsyncGenerator<Page> {
  const assembler = new ResultAssembler(event.eventId, rowContext);
  const query = { interval: chronotrackAssumptions.resultsInterval, elide_json: 'false', ...testEntries };
  const what = `the results of event ${event.eventId}`;
  for await (const page of client.pages(`event/${event.eventId}/results`, 'event_results', query, what, options.signal)) {
    const touched = new Set<string>();
    const problems: RecordIssue[] = [];
    page.items.forEach((raw, index) => {
      const entryId = lenientRecord(
        () => assembler.add(raw),
        { what: 'result', where: `ChronoTrack event ${event.eventId}, results page ${page.page}`, id: recordId(raw, 'results_entry_id') ?? `#${index + 1} on the page` },
        problems,
      );
      if (entryId !== null) touched.add(entryId);
    });
    const rows: TableRow[] = [...touched].map((entryId) => assembler.row(entryId));
    yield { rows, ...(problems.length ? { problems } : {}), page: page.page, pageCount: page.pageCount, cursorAfter: null };
  }
}


