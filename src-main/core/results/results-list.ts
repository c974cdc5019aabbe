import type { Db } from '../store/database.ts';
import { foldForSearch } from '../store/sql-fold.ts';
import type { EventRef } from './event-ref.ts';
import { loadCrewResults, type CrewResult } from './crew-results-store.ts';
import { readEventResultSettings } from './event-settings.ts';
import { placingTime } from './placings.ts';
import { displayRaceTime } from './time.ts';
import type { ResultStatus } from './status.ts';

export type ResultsOrder = 'overall' | 'gender' | 'age';

/** One line of the results as screens, the CLI and exports show it (times as people read them). */
export interface ResultListRow {
  participant_id: string;
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
  placeBy: 'chip' | 'gun';
  /** Every split name in the event's results, in the order they first appear. */
  splitNames: string[];
  rows: ResultListRow[];
}

/* Non-finishers after finishers, in the order results pages list them. */
const statusOrder: Record<ResultStatus, number> = { FIN: 0, DNF: 1, DQ: 2, DNS: 3 };
const genderOrder = (gender: string | null) => ['F', 'M', 'X'].indexOf(gender ?? '') + 1 || 4;
const ageGroupStart = (ageGroup: string | null) => (ageGroup === null ? Number.MAX_SAFE_INTEGER : Number.parseInt(ageGroup, 10));
const place = (value: number | null) => value ?? Number.MAX_SAFE_INTEGER;

export function listResults(db: Db, event: EventRef, options: { by?: ResultsOrder; search?: string } = {}): ResultsList {
  const settings = readEventResultSettings(db, event);
  const results = loadCrewResults(db, event);
  const splitNames = [...new Set(results.flatMap((result) => Object.keys(result.splits)))];
  const by = options.by ?? 'overall';
  const sorted = [...results].sort(
    (a, b) =>
      (by === 'overall' ? 0 : genderOrder(a.gender) - genderOrder(b.gender)) ||
      (by === 'age' ? ageGroupStart(a.ageGroup) - ageGroupStart(b.ageGroup) : 0) ||
      place(by === 'overall' ? a.overallPlace : by === 'gender' ? a.genderPlace : a.ageGroupPlace) -
        place(by === 'overall' ? b.overallPlace : by === 'gender' ? b.genderPlace : b.ageGroupPlace) ||
      statusOrder[a.status] - statusOrder[b.status] ||
      (a.bibNumber ?? '').localeCompare(b.bibNumber ?? '', undefined, { numeric: true }),
  );
  const matches = searchFilter(options.search);
  return {
    event,
    placeBy: settings.placeBy,
    splitNames,
    rows: sorted.filter(matches).map((result) => toListRow(result, settings.placeBy)),
  };
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

function toListRow(result: CrewResult, placeBy: 'chip' | 'gun'): ResultListRow {
  return {
    participant_id: result.participantId,
    bib_number: result.bibNumber,
    first_name: result.firstName,
    last_name: result.lastName,
    gender: result.gender,
    age: result.age,
    age_group: result.ageGroup,
    time: displayRaceTime(placingTime(result, placeBy)),
    chip_time: displayRaceTime(result.chipTimeMs),
    gun_time: displayRaceTime(result.gunTimeMs),
    splits: Object.entries(result.splits).map(([name, ms]) => ({ name, time: displayRaceTime(ms) })),
    overall_place: result.overallPlace,
    gender_place: result.genderPlace,
    age_group_place: result.ageGroupPlace,
    status: result.status,
  };
}
