import type { ResultsList } from './results-list.ts';
import { eventHasRaces } from './races.ts';
import { csvDocument } from '../browse/csv.ts';

/*
 * The placed results as CSV for the race website or the organiser: finishers in place order,
 * then non-finishers without a place, written by the one CSV writer (browse/csv.ts: RFC 4180,
 * one byte-order mark, formulas defused). Events with several races (ChronoTrack, Race Roster) get a Race
 * column first, race by race, since places count within a race.
 */
export function resultsToCsv(list: ResultsList): string {
  const withRace = eventHasRaces(list.event.sourceProvider);
  const header = [...(withRace ? ['Race'] : []), 'Place', 'Bib', 'First Name', 'Last Name', 'Gender', 'Age', 'Age Group', 'Time', 'Chip Time', 'Gun Time', 'Gender Place', 'Age Group Place', 'Status', ...list.splitNames];
  const lines = list.rows.map((row) => {
    const splits = new Map(row.splits.map((split) => [split.name, split.time]));
    return [
      ...(withRace ? [row.race_name ?? row.race_id ?? 'Race not known'] : []),
      row.overall_place, row.bib_number, row.first_name, row.last_name, row.gender, row.age, row.age_group,
      row.time, row.chip_time, row.gun_time, row.gender_place, row.age_group_place, row.status,
      ...list.splitNames.map((name) => splits.get(name) ?? ''),
    ];
  });
  return csvDocument([header, ...lines]);
}
