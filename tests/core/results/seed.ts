import type { Db } from '../../../src-main/core/store/database.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';

/*
 * A small RunSignUp event for results tests: "City 10K" (event 5001) on 2026-05-10.
 *   101 Ann Smith   F  age 34
 *   102 Bob Jones   M  born 1996-05-11 -> 29 on race day (birthday the day after)
 *   103 Cid Lee     M  born 1996-05-10 -> 30 on race day
 *   104 Dee Park    F  age 45
 *   105 Eve Núñez   F  age 22
 *   106 Fay Moss    X  no age
 *   200 Hal Grey and Ian Ross: the same bib handed out twice
 */
export const eventId = '5001';

export function seedEvent(db: Db): void {
  upsertRows(db, 'runsignup_events', ['event_id'], [
    { event_id: 5001, race_id: 77, name: 'City 10K', start_time: '2026-05-10T08:00:00.000Z', race_name: 'City Run 2026' },
  ]);
  const people: Array<[number, string, string, string, string, number | null, string | null]> = [
    [9101, '101', 'Ann', 'Smith', 'F', 34, null],
    [9102, '102', 'Bob', 'Jones', 'M', null, '1996-05-11'],
    [9103, '103', 'Cid', 'Lee', 'M', null, '1996-05-10'],
    [9104, '104', 'Dee', 'Park', 'F', 45, null],
    [9105, '105', 'Eve', 'Núñez', 'F', 22, null],
    [9106, '106', 'Fay', 'Moss', 'X', null, null],
    [9200, '200', 'Hal', 'Grey', 'M', 50, null],
    [9201, '200', 'Ian', 'Ross', 'M', 51, null],
  ];
  upsertRows(
    db,
    'runsignup_participants',
    ['registration_id'],
    people.map(([registration_id, bib_num, first_name, last_name, gender, age, dob]) => ({
      race_id: 77, event_id: 5001, registration_id, bib_num, first_name, last_name, gender, age, dob,
    })),
  );
}
