import type { Db } from '../store/database.ts';
import { foldForSearch } from '../store/sql-fold.ts';
import type { EventRef } from './event-ref.ts';
import { loadCrewResults, type CrewResult } from './crew-results-store.ts';
import { readEventResultSettings } from './event-settings.ts';
import { placedBy, placingTime } from './placings.ts';
import { displayRaceTime, raceTimeDigits } from './time.ts';
import type { ResultStatus } from './status.ts';
import { RaceDeskError } from '../errors.ts';
import { compareRaces, eventHasRaces, eventRaces, loadEntrantRaces } from './races.ts';

export type ResultsOrder = 'overall' | 'gender' | 'age';

/** One line of the results as screens, the CLI and exports show it (times as people read them). */
export interface ResultListRow {
  participant_id: string;
  /** The race (distance) within the event; null where the event is the distance or the race is not known. */
  race_id: string | null;
  race_name: string | null;
  bib_number: string | null;
  first_name: string | null;
  last_name: string | null;
  gender: string | null;
  age: number | null;
  age_group: string | null;
  /** The time the event places by. */
  time: string;
  chip_time: string;
  gun_time: string;
  splits: Array<{ name: string; time: string }>;
  overall_place: number | null;
  gender_place: number | null;
  age_group_place: number | null;
  status: ResultStatus;
}

export interface ResultsList {
  event: EventRef;
  /** The time the places were decided by: the event's setting, unless the results have only the other time. */
  placeBy: 'chip' | 'gun';
  /** Every split name in the listed race's (or event's) results, in the order they first appear. */
  splitNames: string[];
  /** The event's races with their result counts; empty where the event is the distance. */
  races: Array<{ race_id: string; race_name: string | null; results: number }>;
  /** The race the list is limited to, if any. */
  race: string | null;
  rows: ResultListRow[];
}

/* Non-finishers after finishers, in the order results pages list them. */
export const statusOrder: Record<ResultStatus, number> = { FIN: 0, DNF: 1, DQ: 2, DNS: 3 };
const genderOrder = (gender: string | null) => ['F', 'M', 'X'].indexOf(gender ?? '') + 1 || 4;
const ageGroupStart = (ageGroup: string | null) => (ageGroup === null ? Number.MAX_SAFE_INTEGER : Number.parseInt(ageGroup, 10));
const place = (value: number | null) => value ?? Number.MAX_SAFE_INTEGER;

/**
 * The event's results in the order asked for. In an event with races (ChronoTrack, Race Roster)
 * rows come race by race, as each race is placed on its own; `race` limits the list to one.
 */
export function listResults(db: Db, event: EventRef, options: { by?: ResultsOrder; search?: string; race?: string } = {}): ResultsList {
  const settings = readEventResultSettings(db, event);
  const entrantRaces = loadEntrantRaces(db, event);
  const races = eventHasRaces(event.sourceProvider) ? eventRaces(entrantRaces) : [];
  const race = options.race ?? null;
  if (race !== null) checkRace(event, race, races);
  const results = loadCrewResults(db, event).map((result) => ({
    result,
    raceId: entrantRaces.get(result.participantId)?.raceId ?? null,
    raceName: entrantRaces.get(result.participantId)?.raceName ?? null,
  }));
  const inRace = results.filter((x) => race === null || x.raceId === race);
  const splitNames = [...new Set(inRace.flatMap(({ result }) => Object.keys(result.splits)))];
  const by = options.by ?? 'overall';
  const sorted = [...inRace].sort(
    ({ result: a, ...raceA }, { result: b, ...raceB }) =>
      compareRaces(raceA, raceB) ||
      (by === 'overall' ? 0 : genderOrder(a.gender) - genderOrder(b.gender)) ||
      (by === 'age' ? ageGroupStart(a.ageGroup) - ageGroupStart(b.ageGroup) : 0) ||
      place(by === 'overall' ? a.overallPlace : by === 'gender' ? a.genderPlace : a.ageGroupPlace) -
        place(by === 'overall' ? b.overallPlace : by === 'gender' ? b.genderPlace : b.ageGroupPlace) ||
      statusOrder[a.status] - statusOrder[b.status] ||
      (a.bibNumber ?? '').localeCompare(b.bibNumber ?? '', undefined, { numeric: true }),
  );
  const matches = searchFilter(options.search);
  const digits = raceTimeDigits(inRace.flatMap(({ result }) => [result.chipTimeMs, result.gunTimeMs, ...Object.values(result.splits)]));
  return {
    event,
    placeBy: placedBy(settings.placeBy, inRace.map((x) => x.result)),
    splitNames,
    races: races.map((r) => ({ race_id: r.raceId, race_name: r.raceName, results: results.filter((x) => x.raceId === r.raceId).length })),
    race,
    rows: sorted
      .filter((x) => matches(x.result))
      .map((x) => toListRow(x.result, x.raceId, x.raceName, settings.placeBy, digits)),
  };
}

function checkRace(event: EventRef, race: string, races: Array<{ raceId: string; raceName: string | null }>): void {
  const name = event.eventName ?? event.eventId;
  if (!eventHasRaces(event.sourceProvider)) {
    throw new RaceDeskError('invalid_input', `${name} (${event.sourceProvider}) is a single race; leave out the race.`);
  }
  if (!races.some((r) => r.raceId === race)) {
    const known = races.map((r) => `${r.raceId} (${r.raceName ?? 'no name'})`).join(', ');
    throw new RaceDeskError('not_found', `No race "${race}" in ${name}; its races are: ${known || 'none synced yet'}.`);
  }
}

/** A bib matches exactly; anything else is a name fragment, folded like packet-pickup search. */
function searchFilter(search: string | undefined): (result: CrewResult) => boolean {
  const text = search?.trim() ?? '';
  if (text === '') return () => true;
  const folded = foldForSearch(text) ?? '';
  return (result) =>
    result.bibNumber?.trim().toLowerCase() === text.toLowerCase() ||
    (folded !== '' && (foldForSearch(`${result.firstName ?? ''}${result.lastName ?? ''}`) ?? '').includes(folded)) ||
    (folded !== '' && (foldForSearch(`${result.lastName ?? ''}${result.firstName ?? ''}`) ?? '').includes(folded));
}

function toListRow(result: CrewResult, raceId: string | null, raceName: string | null, placeBy: 'chip' | 'gun', digits: number): ResultListRow {
  return {
    participant_id: result.participantId,
    race_id: raceId,
    race_name: raceName,
    bib_number: result.bibNumber,
    first_name: result.firstName,
    last_name: result.lastName,
    gender: result.gender,
    age: result.age,
    age_group: result.ageGroup,
    time: displayRaceTime(placingTime(result, placeBy), digits),
    chip_time: displayRaceTime(result.chipTimeMs, digits),
    gun_time: displayRaceTime(result.gunTimeMs, digits),
    splits: Object.entries(result.splits).map(([name, ms]) => ({ name, time: displayRaceTime(ms, digits) })),
    overall_place: result.overallPlace,
    gender_place: result.genderPlace,
    age_group_place: result.ageGroupPlace,
    status: result.status,
  };
}
