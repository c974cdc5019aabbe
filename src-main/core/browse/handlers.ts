import { defineHandler } from '../api/contract.ts';
import { toVenueParticipant, type VenueRow } from '../pickup/participants.ts';
import * as s from './schemas.ts';
import { eventChoices, eventsQuery, participantsQuery, readAll, readPage, resultsQuery } from './tables.ts';
import { toCsv } from './csv.ts';
import { canPageOnIndex, pageOnIndex } from './participant-index-page.ts';
import { providerRunnerId } from '../store/runner-id.ts';

/** Paged unified tables and their CSV export; shapes in ../pickup/README.md. */
export const browseHandlers = {
  'browse.participants': defineHandler({
    input: s.browseParticipantsInput,
    output: s.browseParticipantsOutput,
    run: (input, core) => {
      if (canPageOnIndex(input.filter, input.sort)) return pageOnIndex(core.db, input.filter, input.sort, input.offset, input.limit);
      const page = readPage<VenueRow>(core.db, participantsQuery(input.filter, input.sort), input.offset, input.limit);
      return { rows: page.rows.map((row) => toVenueParticipant(row)), total: page.total };
    },
  }),
  'browse.events': defineHandler({
    input: s.browseEventsInput,
    output: s.browseEventsOutput,
    run: (input, core) => readPage<s.EventRow>(core.db, eventsQuery(input.filter, input.sort), input.offset, input.limit),
  }),
  'browse.eventChoices': defineHandler({
    input: s.eventChoicesInput,
    output: s.eventChoicesOutput,
    run: (input, core) => ({ rows: eventChoices(core.db, input.provider) }),
  }),
  'browse.results': defineHandler({
    input: s.browseResultsInput,
    output: s.browseResultsOutput,
    run: (input, core) => readPage<s.ResultRow>(core.db, resultsQuery(input.filter, input.sort), input.offset, input.limit),
  }),
  'browse.exportCsv': defineHandler({
    input: s.exportCsvInput,
    output: s.exportCsvOutput,
    run: (input, core) => {
      const day = new Date().toISOString().slice(0, 10);
      // A spreadsheet is read beside the provider's own lists: a runner is named by the provider's id, not the app's (Haku, Copernico: store/runner-id.ts).
      const providerIds = <T extends { source_provider: string; event_id: string; participant_id: string }>(row: T): T => ({ ...row, participant_id: providerRunnerId(row) });
      const exported =
        input.table === 'participants'
          ? toCsv(
              Object.keys(s.browseParticipantsOutput.shape.rows.element.shape),
              mapRows(readAll<VenueRow>(core.db, participantsQuery(input.filter, input.sort)), (row) => providerIds(toVenueParticipant(row))),
            )
          : input.table === 'events'
            ? toCsv(Object.keys(s.eventRowSchema.shape), readAll<s.EventRow>(core.db, eventsQuery(input.filter, input.sort)))
            : toCsv(Object.keys(s.resultRowSchema.shape), mapRows(readAll<s.ResultRow>(core.db, resultsQuery(input.filter, input.sort)), providerIds));
      return { filename: `${input.table}-${day}.csv`, ...exported };
    },
  }),
};

function* mapRows<A, B>(rows: Iterable<A>, map: (row: A) => B): Iterable<B> {
  for (const row of rows) yield map(row);
}
