import type { Db } from '../../../src-main/core/store/database.ts';

/*
 * A ChronoTrack race day with two distances, "Harbor Run Day" (event ct-day, 2026-06-06):
 *   race r5, 5K                       race r21, Half Marathon
 *   e1 bib 1  Ada F  born 1990-01-01  e4 bib 21 Dan M  born 1985-07-01 (40 on race day, 41 on 31 Dec)
 *   e2 bib 2  Ben M  age 40 (no dob)  e5 bib 22 Eva F  born 1992-02-02
 *   e3 bib 3  Cal M  born 2000-03-03  e6 bib 23 Fin M  born 1999-09-09
 * and a walk-up, bib 90 Gus M, registered at the venue without a race.
 */
export const ctEventId = 'ct-day';

export function seedChronoTrackDay(db: Db): void {
  db.prepare(`INSERT INTO ct_events (event_id, event_name, event_start_time, event_date) VALUES ('ct-day', 'Harbor Run Day', '2026-06-06T13:00:00Z', '2026-06-06')`).run();
  const entry = db.prepare(
    `INSERT INTO ct_participants (entry_id, event_id, race_id, race_name, entry_bib, athlete_first_name, athlete_last_name, athlete_sex, athlete_birthdate, entry_race_age)
     VALUES (?, 'ct-day', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const entries: Array<[string, string, string, string, string, string, string, string | null, number | null]> = [
    ['e1', 'r5', '5K', '1', 'Ada', 'Amos', 'F', '1990-01-01', null],
    ['e2', 'r5', '5K', '2', 'Ben', 'Bell', 'M', null, 40],
    ['e3', 'r5', '5K', '3', 'Cal', 'Cole', 'M', '2000-03-03', null],
    ['e4', 'r21', 'Half Marathon', '21', 'Dan', 'Dorn', 'M', '1985-07-01', null],
    ['e5', 'r21', 'Half Marathon', '22', 'Eva', 'Ek', 'F', '1992-02-02', null],
    ['e6', 'r21', 'Half Marathon', '23', 'Fin', 'Fox', 'M', '1999-09-09', null],
  ];
  for (const row of entries) entry.run(...row);
  db.prepare(
    `INSERT INTO local_participants (participant_id, source_provider, event_id, first_name, last_name, gender, bib_number, station_name, created_at, updated_at)
     VALUES ('walk-up-1', 'chronotrack', 'ct-day', 'Gus', 'Gray', 'M', '90', 'Desk 1', '2026-06-06T11:00:00.000Z', '2026-06-06T11:00:00.000Z')`,
  ).run();
}

/** One finish file from the timing software for the whole day: both distances and the walk-up. */
export const chronoTrackDayFile = [
  'Bib,Chip Time,Gun Time,Status',
  '1,22:00,22:10,',
  '2,20:00,20:30,',
  '3,25:00,25:05,',
  '21,1:30:00,1:30:20,',
  '22,1:35:00,1:35:10,',
  '23,,,DNF',
  '90,19:00,19:00,',
  '',
].join('\n');
