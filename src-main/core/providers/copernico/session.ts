import { RaceDeskError } from '../../errors.ts';
import { mapInSteps } from '../../event-loop.ts';
import type { FetchOptions, KnownEvent, Page, ProviderEvent, ProviderSession, SessionContext, TableRow } from '../types.ts';
import { copernicoAssumptions } from './assumptions.ts';
import { CopernicoClient, type CopernicoSecret } from './client.ts';
import {
  asRecord,
  eventBlock,
  parseRace,
  parseSummary,
  participantRow,
  placePresetResults,
  presetResult,
  resultRow,
  resultRowFromSummary,
  type AthleteSummary,
  type Race,
  type RawRecord,
  type RowContext,
} from './mapping.ts';
import { lenientRecord, RecordProblem, recordId, type RecordIssue } from '../record-problems.ts';

/*
 * Copernico has no paging and no updated-since filter (copernico.md §5): every sync re-pulls the
 * race's whole athlete list and upserts by (event_id, participant_id), so nothing duplicates and
 * cursorAfter stays null. Results come from the account's published preset in one call per event
 * (§4.5); without one, or when the export does not answer with rows, they need one call per
 * athlete (§4.4), athletes without times stored from the list alone. Deleted athletes just vanish from the list: a re-pull cannot
 * report them, so their rows stay until the event is removed.
 */
export function createCopernicoSession(context: SessionContext<CopernicoSecret>): ProviderSession {
  const client = new CopernicoClient(context.http, context.secret, context.accountLabel);
  const rowContext = (): RowContext => ({
    accountLabel: context.accountLabel,
    timingPartnerId: context.timingPartnerId,
    fetchedAt: new Date().toISOString(),
  });
  const races = new Map<string, Race>();
  // One session serves one sync run: the athlete list of a race is fetched once for all its events.
  const athleteLists = new Map<string, Promise<AthleteList>>();

  const raceOf = (event: ProviderEvent): Race => {
    const race = races.get(event.groupId ?? event.eventId);
    if (!race) throw new RaceDeskError('invalid_input', `Copernico event ${event.eventId} is unknown to this session; list the events again.`);
    return race;
  };

  // The production integrator reads /athlete/{id}/full (events with times and rankings); the plain
  // record, which in the demo layout may lack them, only where /full is not served.
  const detail = async (raceId: string, athleteId: string, signal?: AbortSignal): Promise<RawRecord> => {
    const path = `api/races/${encodeURIComponent(raceId)}/athlete/${encodeURIComponent(athleteId)}`;
    const what = `athlete ${athleteId} of race ${raceId}`;
    const data = await client.get(`${path}/full`, what, signal).catch((error: unknown) => {
      if (error instanceof RaceDeskError && error.code === 'not_found') return client.get(path, what, signal);
      throw error;
    });
    return asRecord(data, 'athlete record');
  };

  const athletesOf = (race: Race, signal?: AbortSignal): Promise<AthleteList> => {
    let list = athleteLists.get(race.raceId);
    if (!list) {
      list = fetchAthletes(client, race, detail, signal);
      athleteLists.set(race.raceId, list);
      list.catch(() => athleteLists.delete(race.raceId));
    }
    return list;
  };

  return {
    async verifyCredentials() {
      await client.get('api/races', 'the race list');
    },

    async listEvents(signal, listOptions = {}) {
      const problems = listOptions.problems ?? [];
      const slugs = await client.get('api/races', 'the race list', signal);
      if (!Array.isArray(slugs)) throw new RaceDeskError('provider_error', 'Copernico sent the race list without a list of race ids.');
      const events: ProviderEvent[] = [];
      const context = rowContext();
      for (const slug of slugs) {
        // Integrators see plain id strings; tolerate {id} objects as well.
        const raceId = typeof slug === 'string' ? slug : String((slug as { id?: unknown } | null)?.id ?? '');
        if (raceId === '') throw new RaceDeskError('provider_error', `Copernico's race list holds an entry without a race id: ${JSON.stringify(slug)}.`);
        const data = await client.get(`api/races/${encodeURIComponent(raceId)}`, `race ${raceId}`, signal);
        const race = lenientRecord(() => parseRace(raceId, data, context, problems), { what: 'race', where: 'Copernico race list', id: raceId }, problems);
        if (race === null) continue;
        races.set(raceId, race);
        for (const event of race.events) {
          events.push({ eventId: event.eventId, name: event.name, startsAt: event.startsAt, groupId: raceId, groupName: race.name, rows: [event.row] });
        }
      }
      return events;
    },

    async fetchEvents(wanted, signal) {
      // A race the listing no longer names is still read by its id (GET /api/races/{id}).
      const events: ProviderEvent[] = [];
      // The stored events carry no race id; RaceDesk's event id starts with it ("{raceId}:{event}").
      const raceOfKnown = (known: KnownEvent) => known.groupId ?? (known.eventId ?? known.id).split(':')[0];
      for (const raceId of new Set(wanted.map(raceOfKnown))) {
        let data: unknown;
        try {
          data = await client.get(`api/races/${encodeURIComponent(raceId)}`, `race ${raceId}`, signal);
        } catch (error) {
          if (error instanceof RaceDeskError && (error.code === 'not_found' || error.code === 'access_denied')) continue;
          throw error;
        }
        const race = lenientRecord(() => parseRace(raceId, data, rowContext()), { what: 'race', where: 'Copernico race', id: raceId }, []);
        if (race === null) continue;
        races.set(raceId, race);
        const asked = wanted.filter((known) => raceOfKnown(known) === raceId);
        for (const event of race.events) {
          if (asked.some((known) => known.eventId === null || known.id === raceId || known.eventId === event.eventId)) {
            events.push({ eventId: event.eventId, name: event.name, startsAt: event.startsAt, groupId: raceId, groupName: race.name, rows: [event.row] });
          }
        }
      }
      return events;
    },

    participantPages(event, options) {
      return participantPages(event, raceOf(event), athletesOf, options, rowContext);
    },

    async *resultPages(event, options) {
      const race = raceOf(event);
      const preset = presetOf(context.secret);
      if (preset) {
        const answer = await client.preset(presetUrl(context.baseUrl, race, event, preset), `the preset "${preset.name}" of race ${race.raceId}`, options.signal);
        if ('rows' in answer) {
          yield* presetPages(event, race, answer.rows, await athletesOf(race, options.signal), rowContext);
          return;
        }
      }
      yield* resultPages(event, race, athletesOf, detail, options, rowContext);
    },
  };
}

interface Preset {
  login: string;
  name: string;
}

const presetOf = (secret: CopernicoSecret): Preset | null =>
  secret.preset_login && secret.preset_name ? { login: secret.preset_login, name: secret.preset_name } : null;

/** The export of one event; a race that is its own single event is exported whole (no event part). */
function presetUrl(baseUrl: string, race: Race, event: ProviderEvent, preset: Preset): string {
  const base = copernicoAssumptions.presetBaseUrl(baseUrl).replace(/\/+$/, '');
  // Integrators put the login e-mail in the path as it is; the names are URL-encoded.
  const login = encodeURIComponent(preset.login).replaceAll('%40', '@');
  const whole = `${base}/api/races/${encodeURIComponent(race.raceId)}/preset/${login}:::${encodeURIComponent(preset.name)}`;
  return event.eventId === race.raceId ? whole : `${whole}/${encodeURIComponent(event.name)}`;
}

/**
 * Preset rows as result pages. A row names no athlete id as observed: it is matched to the race's
 * athlete list by dorsal (by `id` when the preset has that column); a row that matches no athlete
 * is skipped and reported.
 */
async function* presetPages(event: ProviderEvent, race: Race, rows: unknown[], list: AthleteList, rowContext: () => RowContext): AsyncGenerator<Page> {
  const byDorsal = new Map<string, string>();
  for (const summary of list.summaries) {
    const blocks = Array.isArray(summary.raw.events) ? (summary.raw.events as unknown[]) : [];
    for (const holder of [summary.raw, ...blocks]) {
      const dorsal = recordId(holder, 'dorsal');
      if (dorsal !== null) byDorsal.set(dorsal, summary.id);
    }
  }
  const ids = new Set(list.summaries.map((summary) => summary.id));
  const where = `Copernico event ${event.eventId}, preset export`;
  const context = rowContext();
  const problems: RecordIssue[] = [];
  const results = await mapInSteps(rows, (item, index) => {
    const dorsal = recordId(item, 'dorsal');
    return lenientRecord(
      () => {
        const row = asRecord(item, 'preset row');
        const ownId = recordId(row, 'id');
        const athleteId = ownId !== null && ids.has(ownId) ? ownId : dorsal === null ? null : byDorsal.get(dorsal) ?? null;
        if (athleteId === null) {
          throw new RecordProblem(dorsal === null ? 'has no dorsal to find its athlete by' : `has dorsal ${dorsal}, which no athlete of race ${race.raceId} has`);
        }
        return presetResult(event.eventId, row, athleteId, context);
      },
      { what: 'preset row', where, id: dorsal ?? `#${index + 1}` },
      problems,
    );
  });
  placePresetResults(results);
  const size = copernicoAssumptions.presetRowsPerPage;
  const pageCount = Math.max(1, Math.ceil(results.length / size));
  for (let page = 1; page <= pageCount; page++) {
    const pageProblems = page === 1 ? problems : [];
    const pageRows = results.slice((page - 1) * size, page * size).map((result) => result.row);
    yield { rows: pageRows, ...(pageProblems.length ? { problems: pageProblems } : {}), page, pageCount, cursorAfter: null };
  }
}

type Detail = (raceId: string, athleteId: string, signal?: AbortSignal) => Promise<RawRecord>;

/** A race's athletes as listed; `problems` are the list items skipped (no id, not an object). */
interface AthleteList {
  summaries: AthleteSummary[];
  problems: RecordIssue[];
}

async function fetchAthletes(client: CopernicoClient, race: Race, detail: Detail, signal?: AbortSignal): Promise<AthleteList> {
  const data = await client.get(`api/races/${encodeURIComponent(race.raceId)}/athletes`, `the athletes of race ${race.raceId}`, signal);
  if (!Array.isArray(data)) throw new RaceDeskError('provider_error', `Copernico sent the athletes of race ${race.raceId} without a list.`);
  const where = `Copernico race ${race.raceId}, athlete list`;
  const problems: RecordIssue[] = [];
  // Some accounts answer bare id strings; the athlete's own record then has everything.
  const records = new Map<number, RawRecord>();
  const bareIds = data.flatMap((item, index) => (typeof item === 'string' ? [{ id: item, index }] : []));
  await inBatches(bareIds, async ({ id, index }) => records.set(index, await detail(race.raceId, id, signal)));
  // A race's whole list in one answer: read in steps, as a page is.
  const summaries = await mapInSteps(data, (item, index) => {
    const raw = records.get(index) ?? item;
    return lenientRecord(() => parseSummary(raw), { what: 'athlete', where, id: recordId(raw, 'id') ?? `#${index + 1} in the list` }, problems);
  });
  if (race.events.length > 1) {
    await inBatches(summaries, async (summary) => {
      if (summary.events !== null) return;
      const record = await detail(race.raceId, summary.id, signal);
      summary.raw = { ...summary.raw, ...record };
      summary.events = Array.isArray(record.events)
        ? record.events.map((e) => String((e as { event?: unknown } | null)?.event ?? '')).filter(Boolean)
        : [];
    });
  }
  return { summaries, problems };
}

function inEvent(summary: AthleteSummary, event: ProviderEvent, race: Race): boolean {
  if (summary.events === null || race.events.length === 1) return true;
  const wanted = race.events.find((e) => e.eventId === event.eventId);
  return summary.events.some((name) => name === wanted?.name || (wanted?.copernicoId != null && name === wanted.copernicoId));
}

async function* participantPages(
  event: ProviderEvent,
  race: Race,
  athletesOf: (race: Race, signal?: AbortSignal) => Promise<AthleteList>,
  options: FetchOptions,
  rowContext: () => RowContext,
): AsyncGenerator<Page> {
  const list = await athletesOf(race, options.signal);
  const athletes = list.summaries.filter((a) => inEvent(a, event, race));
  const size = copernicoAssumptions.participantRowsPerPage;
  const pageCount = Math.max(1, Math.ceil(athletes.length / size));
  for (let page = 1; page <= pageCount; page++) {
    const context = rowContext();
    // A skipped list item belongs to no event for sure: each event of the race reports it on its first page.
    const problems: RecordIssue[] = page === 1 ? [...list.problems] : [];
    const rows = await mapInSteps(athletes.slice((page - 1) * size, page * size), (athlete) =>
      lenientRecord(
        () => participantRow(event.eventId, athlete.raw, eventBlock(athlete.raw, event.name, race), context),
        { what: 'athlete', where: `Copernico event ${event.eventId}, participants page ${page}`, id: athlete.id },
        problems,
      ),
    );
    yield { rows, ...(problems.length ? { problems } : {}), page, pageCount, cursorAfter: null };
  }
}

async function* resultPages(
  event: ProviderEvent,
  race: Race,
  athletesOf: (race: Race, signal?: AbortSignal) => Promise<AthleteList>,
  detail: Detail,
  options: FetchOptions,
  rowContext: () => RowContext,
): AsyncGenerator<Page> {
  const athletes = (await athletesOf(race, options.signal)).summaries.filter((a) => inEvent(a, event, race));
  const size = copernicoAssumptions.resultAthletesPerPage;
  const pageCount = Math.max(1, Math.ceil(athletes.length / size));
  for (let page = 1; page <= pageCount; page++) {
    const where = `event ${event.eventId}, results page ${page}`;
    const context = rowContext();
    const problems: RecordIssue[] = [];
    const at = (athlete: AthleteSummary) => ({ what: 'athlete', where: `Copernico ${where}`, id: athlete.id });
    const rows = await inBatches(athletes.slice((page - 1) * size, page * size), async (athlete) => {
      const notStarted = athlete.status !== null && copernicoAssumptions.notStartedStatuses.includes(athlete.status.toLowerCase());
      if (notStarted) return lenientRecord(() => resultRowFromSummary(event.eventId, athlete.raw, context), at(athlete), problems);
      const record = await detail(race.raceId, athlete.id, options.signal);
      return lenientRecord(
        () => {
          const block = eventBlock(record, event.name, race);
          if (!block) throw new RecordProblem(`has no times for event "${event.name}"`);
          return resultRow(event.eventId, { ...record, id: record.id ?? athlete.id }, block, context);
        },
        at(athlete),
        problems,
      );
    });
    yield { rows: rows.filter((row): row is TableRow => row !== null), ...(problems.length ? { problems } : {}), page, pageCount, cursorAfter: null };
  }
}

/** Maps items a few at a time (Copernico's per-athlete calls), keeping their order. */
async function inBatches<T, R>(items: readonly T[], step: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const width = copernicoAssumptions.parallelAthleteCalls;
  for (let start = 0; start < items.length; start += width) {
    results.push(...(await Promise.all(items.slice(start, start + width).map((item, i) => step(item, start + i)))));
  }
  return results;
}

