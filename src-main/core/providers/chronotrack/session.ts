import type { FetchOptions, Page, ProviderEvent, ProviderSession, SessionContext } from '../types.ts';
import { chronotrackAssumptions } from './assumptions.ts';
import { ChronotrackClient, type ChronotrackSecret } from './client.ts';
import { entryRow, eventRow, ResultAssembler, type RowContext } from './mapping.ts';
import { lenientRecord, recordId, type RecordIssue } from '../record-problems.ts';
import { RaceDeskError } from '../../errors.ts';
import { forEachInSteps, mapInSteps } from '../../event-loop.ts';

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
  const { contactFields } = chronotrackAssumptions;
  const alreadyFilled = options.storedIdsWith?.(contactFields) ?? new Set<string>();
  for await (const page of client.pages(`event/${event.eventId}/entry`, 'event_entry', query, what, options.signal)) {
    const problems: RecordIssue[] = [];
    const lacking = page.items.map((raw) => (listLacksContacts(raw) ? recordId(raw, 'entry_id') : null));
    const wanted = lacking.filter((id): id is string => id !== null && !alreadyFilled.has(id));
    const details = await entryContacts(client, event.eventId, wanted, problems, options.signal);
    const rows = await mapInSteps(page.items, (raw, index) => {
      const id = lacking[index];
      const detail = id === null ? undefined : details.get(id);
      const row = lenientRecord(
        () => entryRow(detail ? { ...(raw as object), ...detail } : raw, event.eventId, rowContext),
        { what: 'entry', where: `ChronoTrack event ${event.eventId}, entries page ${page.page}`, id: recordId(raw, 'entry_id') ?? `#${index + 1} on the page` },
        problems,
      );
      // Contacts neither the list nor a detail call gave this time: what is stored stays.
      if (row !== null && id !== null && !detail) for (const field of contactFields) delete row[field];
      return row;
    });
    yield { rows, ...(problems.length ? { problems } : {}), page: page.page, pageCount: page.pageCount, cursorAfter: null };
  }
}

function listLacksContacts(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  return chronotrackAssumptions.contactFields.every((field) => (raw as Record<string, unknown>)[field] === undefined);
}

/**
 * The contact fields of these entries from GET /entry/{id}, a few calls at a time. An entry whose
 * detail cannot be read keeps its list fields and is reported; refused credentials, a network
 * failure or a cancel stop the page as any other request would.
 */
async function entryContacts(
  client: ChronotrackClient,
  eventId: string,
  entryIds: readonly string[],
  problems: RecordIssue[],
  signal?: AbortSignal,
): Promise<Map<string, Record<string, unknown>>> {
  const contacts = new Map<string, Record<string, unknown>>();
  const batch = chronotrackAssumptions.entryDetailBatch;
  for (let start = 0; start < entryIds.length; start += batch) {
    const ids = entryIds.slice(start, start + batch);
    const answers = await Promise.allSettled(ids.map((id) => client.get(`entry/${id}`, {}, `entry ${id}`, signal)));
    answers.forEach((answer, index) => {
      const id = ids[index];
      if (answer.status === 'rejected') {
        const error = answer.reason;
        const perEntry = error instanceof RaceDeskError && ['not_found', 'access_denied', 'provider_error'].includes(error.code);
        if (!perEntry) throw error;
        problems.push({
          recordId: id,
          field: 'contact fields',
          rawValue: null,
          problem: `ChronoTrack event ${eventId}: entry ${id}'s contact fields could not be read (${error.message}); stored without them.`,
          skipped: false,
        });
        return;
      }
      const entry = answer.value.body.entry;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return;
      const fields = Object.fromEntries(chronotrackAssumptions.contactFields.map((field) => [field, (entry as Record<string, unknown>)[field]]));
      contacts.set(id, fields);
    });
  }
  return contacts;
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
  let pageNumber = 0;
  for await (const page of client.pages(`event/${event.eventId}/results`, 'event_results', query, what, options.signal)) {
    pageNumber = page.page;
    const touched = new Set<string>();
    const problems: RecordIssue[] = [];
    await forEachInSteps(page.items, (raw, index) => {
      const entryId = lenientRecord(
        () => assembler.add(raw),
        { what: 'result', where: `ChronoTrack event ${event.eventId}, results page ${page.page}`, id: recordId(raw, 'results_entry_id') ?? `#${index + 1} on the page` },
        problems,
      );
      if (entryId !== null) touched.add(entryId);
    });
    const rows = await mapInSteps([...touched], (entryId) => assembler.row(entryId));
    yield { rows, ...(problems.length ? { problems } : {}), page: page.page, pageCount: page.pageCount, cursorAfter: null };
  }

  // Gender and age-group places: each SEX and AGE bracket's own results rank its runners.
  for (const bracket of await placeBrackets(client, event.eventId, options.signal)) {
    const where = `ChronoTrack event ${event.eventId}, bracket ${bracket.id} (${bracket.name ?? bracket.type})`;
    const path = `bracket/${bracket.id}/results`;
    for await (const page of client.pages(path, 'bracket_results', { elide_json: 'false', ...testEntries }, `the results of bracket ${bracket.id}`, options.signal)) {
      const touched = new Set<string>();
      const problems: RecordIssue[] = [];
      await forEachInSteps(page.items, (raw, index) => {
        const entryId = lenientRecord(
          () => assembler.place(raw, bracket.column, bracket.name),
          { what: 'result', where: `${where}, page ${page.page}`, id: recordId(raw, 'results_entry_id') ?? `#${index + 1} on the page` },
          problems,
        );
        if (entryId !== null) touched.add(entryId);
      });
      pageNumber += 1;
      yield { rows: await mapInSteps([...touched], (entryId) => assembler.row(entryId)), ...(problems.length ? { problems } : {}), page: pageNumber, pageCount: null, cursorAfter: null };
    }
  }
}

interface PlaceBracket {
  id: string;
  name: string | null;
  type: string;
  /** The ct_results column its ranks go to. */
  column: string;
}

/** The event's brackets whose ranks are places RaceDesk keeps (assumptions: placeBrackets). */
async function placeBrackets(client: ChronotrackClient, eventId: string, signal?: AbortSignal): Promise<PlaceBracket[]> {
  const brackets: PlaceBracket[] = [];
  for await (const page of client.pages(`event/${eventId}/bracket`, 'event_bracket', {}, `the brackets of event ${eventId}`, signal)) {
    for (const raw of page.items) {
      const id = recordId(raw, 'bracket_id');
      if (id === null) continue;
      const { bracket_type: rawType, bracket_name: name } = raw as Record<string, unknown>;
      const type = String(rawType ?? '').toUpperCase();
      const column = chronotrackAssumptions.placeBrackets[type];
      if (column === undefined) continue;
      brackets.push({ id, type, column, name: typeof name === 'string' && name.trim() !== '' ? name.trim() : null });
    }
  }
  return brackets;
}
