import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import { RaceDeskError } from '../errors.ts';
import { listResults, type ResultListRow } from './results-list.ts';
import { readEventResultSettings } from './event-settings.ts';
import { loadStartList } from './start-list.ts';
import { eventHasRaces } from './races.ts';

/*
 * What the finish line hands out, as plain data that the browser print view and the PDF writer
 * both lay out: a title, the columns, and groups of rows. Each document is decided here once:
 * the results sheet race by race, the award lists by the event's award rules, and the
 * packet-pickup list by bib range.
 */
export const printDocuments = ['results', 'awards', 'pickup'] as const;
export type PrintDocument = (typeof printDocuments)[number];

export interface PrintColumn {
  label: string;
  align: 'left' | 'right';
  /** Share of the line's width, relative to the other columns. */
  width: number;
}

export interface PrintGroup {
  /** The group's heading (a race, an award category); null for a document of one group. */
  title: string | null;
  /** Starts on a new page when printed: each race of a results sheet or of the awards. */
  newPage: boolean;
  rows: string[][];
}

export interface Printable {
  document: PrintDocument;
  title: string;
  subtitle: string;
  columns: PrintColumn[];
  groups: PrintGroup[];
  /** Said under the last group: what the reader should know about what is (not) on the sheet. */
  notes: string[];
  /** A file name for the saved PDF, from the event and the document. */
  fileName: string;
  printedAt: string;
}

export interface PrintableOptions {
  document: PrintDocument;
  /** One race (distance) of a ChronoTrack or Race Roster event. */
  race?: string;
  /** The pickup list's bib range, both ends included. */
  bibFrom?: number;
  bibTo?: number;
  /** How many are awarded overall and per gender; by default the event's overall-award cut, else 3. */
  top?: number;
  /** How many are awarded per age group (within gender). */
  ageGroupTop?: number;
}

/** Where the event sets no overall-award cut, results services award the top 3. */
export const defaultAwardPlaces = 3;

const genderWords: Record<string, string> = { F: 'Female', M: 'Male', X: 'Non-binary' };
const genderOrder = ['F', 'M', 'X'];
const genderRank = (gender: string) => (genderOrder.indexOf(gender) + 1 || genderOrder.length + 1);
const cell = (value: string | number | null) => (value === null ? '' : String(value));
const fullName = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ');

export function buildPrintable(db: Db, event: EventRef, options: PrintableOptions): Printable {
  if ((options.bibFrom !== undefined || options.bibTo !== undefined) && options.document !== 'pickup') {
    throw new RaceDeskError('invalid_input', 'A bib range is for the packet-pickup list only; leave out the bibs or print the pickup list.');
  }
  if (options.race !== undefined && options.document === 'pickup') {
    throw new RaceDeskError('invalid_input', 'The packet-pickup list goes by bib range, not by race; leave out the race.');
  }
  const eventName = event.eventName ?? `event ${event.eventId}`;
  const built = options.document === 'results' ? resultsSheet(db, event, options) : options.document === 'awards' ? awardLists(db, event, options) : pickupList(db, event, options);
  const day = event.eventDate?.slice(0, 10);
  const label = { results: 'Results', awards: 'Awards', pickup: 'Packet pickup' }[options.document];
  const slug = `${eventName} ${built.titleSuffix ?? ''}`.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
  return {
    document: options.document,
    title: [eventName, built.titleSuffix, label].filter(Boolean).join(' — '),
    subtitle: [day, built.subtitle].filter(Boolean).join(' · '),
    columns: built.columns,
    groups: built.groups,
    notes: built.notes,
    fileName: `${slug || 'event'}-${options.document}.pdf`,
    printedAt: new Date().toISOString(),
  };
}

interface Built {
  /** The race, or the bib range: what the title says beyond the event. */
  titleSuffix?: string;
  subtitle: string;
  columns: PrintColumn[];
  groups: PrintGroup[];
  notes: string[];
}

function raceTitle(rows: ResultListRow[], race: string | undefined): string | undefined {
  if (race === undefined) return undefined;
  return rows.find((row) => row.race_id === race)?.race_name ?? race;
}

/** Rows of one race each, in the list's order; null: the event is the distance. */
function byRace(rows: ResultListRow[]): Array<{ raceId: string | null; title: string | null; rows: ResultListRow[] }> {
  const races = new Map<string | null, ResultListRow[]>();
  for (const row of rows) races.set(row.race_id, [...(races.get(row.race_id) ?? []), row]);
  return [...races].map(([raceId, raceRows]) => ({ raceId, title: raceId === null ? null : (raceRows[0].race_name ?? raceId), rows: raceRows }));
}

function resultsSheet(db: Db, event: EventRef, options: PrintableOptions): Built {
  const list = listResults(db, event, { by: 'overall', race: options.race });
  const multiRace = eventHasRaces(event.sourceProvider) && options.race === undefined;
  const finishers = list.rows.filter((row) => row.overall_place !== null).length;
  const groups = byRace(list.rows).map((race, i) => ({
    title: multiRace ? (race.title ?? 'Race not known (not placed)') : null,
    newPage: i > 0,
    rows: race.rows.map((row) => [
      cell(row.overall_place), cell(row.bib_number), fullName(row.first_name, row.last_name), cell(row.gender), cell(row.age), cell(row.age_group),
      row.time, cell(row.gender_place), cell(row.age_group_place), row.status === 'FIN' ? '' : row.status,
    ]),
  }));
  return {
    titleSuffix: raceTitle(list.rows, options.race),
    subtitle: `Placed by ${list.placeBy} time · ${finishers} placed of ${list.rows.length} results`,
    columns: [
      { label: 'Place', align: 'right', width: 5 }, { label: 'Bib', align: 'right', width: 5 }, { label: 'Name', align: 'left', width: 22 },
      { label: 'G', align: 'left', width: 3 }, { label: 'Age', align: 'right', width: 4 }, { label: 'Group', align: 'left', width: 6 },
      { label: 'Time', align: 'right', width: 9 }, { label: 'G place', align: 'right', width: 6 }, { label: 'AG place', align: 'right', width: 7 },
      { label: 'Status', align: 'left', width: 6 },
    ],
    groups: groups.length > 0 ? groups : [{ title: null, newPage: false, rows: [] }],
    notes: list.rows.length === 0 ? ['No results have been imported for this event yet.'] : [],
  };
}

/*
 * Awards go by the places already stored (placings.ts): competition ranking, so runners tied at
 * the last awarded place are all listed; DNF, DNS and DQ have no place and are never awarded; an
 * age group is within gender, and with the event's overall-award cut set the overall winners
 * have no age-group place (the next runner moves up).
 */
function awardLists(db: Db, event: EventRef, options: PrintableOptions): Built {
  const settings = readEventResultSettings(db, event);
  const top = options.top ?? (settings.excludeOverallPlaces || defaultAwardPlaces);
  const ageGroupTop = options.ageGroupTop ?? defaultAwardPlaces;
  const list = listResults(db, event, { by: 'overall', race: options.race });
  const awarded = (place: number | null, n: number) => place !== null && place <= n;
  const groups: PrintGroup[] = [];
  const placedRaces = byRace(list.rows).filter((race) => race.raceId !== null || !eventHasRaces(event.sourceProvider));
  for (const [i, race] of placedRaces.entries()) {
    const prefix = eventHasRaces(event.sourceProvider) && options.race === undefined ? `${race.title} — ` : '';
    const raceGroups: Array<{ title: string; rows: string[][] }> = [];
    const row = (place: number | null, r: ResultListRow) => [cell(place), cell(r.bib_number), fullName(r.first_name, r.last_name), cell(r.gender), cell(r.age), r.time];
    const sortedBy = (place: (r: ResultListRow) => number | null, rows: ResultListRow[]) => [...rows].sort((a, b) => (place(a) as number) - (place(b) as number));

    const overall = race.rows.filter((r) => awarded(r.overall_place, top));
    raceGroups.push({ title: `${prefix}Overall`, rows: overall.map((r) => row(r.overall_place, r)) });
    const genders = [...new Set(race.rows.map((r) => r.gender).filter((g): g is string => g !== null))].sort((a, b) => genderRank(a) - genderRank(b) || a.localeCompare(b));
    for (const gender of genders) {
      const winners = sortedBy((r) => r.gender_place, race.rows.filter((r) => r.gender === gender && awarded(r.gender_place, top)));
      raceGroups.push({ title: `${prefix}${genderWords[gender] ?? gender} overall`, rows: winners.map((r) => row(r.gender_place, r)) });
    }
    const ageGroups = new Map<string, ResultListRow[]>();
    for (const r of race.rows) {
      if (r.gender === null || r.age_group === null || !awarded(r.age_group_place, ageGroupTop)) continue;
      const key = `${r.gender}|${r.age_group}`;
      ageGroups.set(key, [...(ageGroups.get(key) ?? []), r]);
    }
    const ageGroupOrder = ([a]: [string, unknown], [b]: [string, unknown]) => {
      const [genderA, groupA] = a.split('|');
      const [genderB, groupB] = b.split('|');
      return genderRank(genderA) - genderRank(genderB) || genderA.localeCompare(genderB) || Number.parseInt(groupA, 10) - Number.parseInt(groupB, 10);
    };
    for (const [key, rows] of [...ageGroups].sort(ageGroupOrder)) {
      const [gender, ageGroup] = key.split('|');
      raceGroups.push({ title: `${prefix}${genderWords[gender] ?? gender} ${ageGroup}`, rows: sortedBy((r) => r.age_group_place, rows).map((r) => row(r.age_group_place, r)) });
    }
    groups.push(...raceGroups.filter((g) => g.rows.length > 0).map((g, j) => ({ ...g, newPage: i > 0 && j === 0 })));
  }
  const rule =
    settings.excludeOverallPlaces > 0
      ? `the top ${settings.excludeOverallPlaces} of each gender take no age-group award`
      : 'overall winners also take age-group awards';
  return {
    titleSuffix: raceTitle(list.rows, options.race),
    subtitle: `Top ${top} overall and per gender, top ${ageGroupTop} per age group; ${rule} · placed by ${list.placeBy} time`,
    columns: [
      { label: 'Place', align: 'right', width: 5 }, { label: 'Bib', align: 'right', width: 5 }, { label: 'Name', align: 'left', width: 26 },
      { label: 'G', align: 'left', width: 3 }, { label: 'Age', align: 'right', width: 4 }, { label: 'Time', align: 'right', width: 9 },
    ],
    groups: groups.length > 0 ? groups : [{ title: null, newPage: false, rows: [] }],
    notes: [
      ...(groups.length === 0 ? ['Nobody is placed yet: import the finish results first.'] : []),
      ...(list.rows.some((r) => r.status !== 'FIN') ? ['DNF, DNS and DQ results are not placed and take no award.'] : []),
      'Runners tied at the last awarded place are all listed.',
    ],
  };
}

function pickupList(db: Db, event: EventRef, options: PrintableOptions): Built {
  const { bibFrom, bibTo } = options;
  if (bibFrom !== undefined && bibTo !== undefined && bibFrom > bibTo) {
    throw new RaceDeskError('invalid_input', `The bib range ${bibFrom}–${bibTo} runs backwards; give the lower bib first.`);
  }
  const ranged = bibFrom !== undefined || bibTo !== undefined;
  const entries = loadStartList(db, event);
  // A range is of numbered bibs: a bib with letters (a VIP "E12") belongs to no numbered table.
  const inRange = entries.filter((entry) => {
    if (!ranged) return true;
    if (!/^\d+$/.test(entry.bib.trim())) return false;
    const bib = Number.parseInt(entry.bib, 10);
    return (bibFrom === undefined || bib >= bibFrom) && (bibTo === undefined || bib <= bibTo);
  });
  const withRace = eventHasRaces(event.sourceProvider);
  const range = !ranged ? 'All bibs' : bibTo === undefined ? `Bibs from ${bibFrom}` : bibFrom === undefined ? `Bibs up to ${bibTo}` : `Bibs ${bibFrom}–${bibTo}`;
  const pickedUp = inRange.filter((entry) => entry.checkedIn).length;
  const lettered = ranged ? entries.filter((entry) => !/^\d+$/.test(entry.bib.trim())).length : 0;
  return {
    titleSuffix: ranged ? range : undefined,
    subtitle: `${range}: ${inRange.length} runners, ${pickedUp} picked up already`,
    columns: [
      { label: 'Bib', align: 'right', width: 5 }, { label: 'Last name', align: 'left', width: 13 }, { label: 'First name', align: 'left', width: 11 },
      { label: 'G', align: 'left', width: 3 }, { label: 'Age', align: 'right', width: 4 },
      ...(withRace ? [{ label: 'Race', align: 'left' as const, width: 9 }] : []),
      { label: 'Team', align: 'left', width: 10 }, { label: 'Picked up', align: 'left', width: 7 },
    ],
    groups: [
      {
        title: null,
        newPage: false,
        rows: inRange.map((e) => [e.bib, cell(e.lastName), cell(e.firstName), cell(e.gender), cell(e.age), ...(withRace ? [cell(e.race)] : []), cell(e.team), e.checkedIn ? 'yes' : '']),
      },
    ],
    notes: [
      ...(inRange.length === 0 ? [`No runner of this event holds a bib in this range.`] : []),
      ...(lettered > 0 ? [`${lettered} bibs with letters are not in a numbered range; print the list without a range to see them.`] : []),
    ],
  };
}
