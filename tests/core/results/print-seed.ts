import type { Db } from '../../../src-main/core/store/database.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { seedEvent } from './seed.ts';

/*
 * The City 10K (seed.ts) with enough finishers for award lists, and its finish file by chip time:
 *   1 Lucía Peña F33 39:50   2 Ann Smith F34 40:10   3= Bob Jones M29 and Cid Lee M30 41:00 (a tie)
 *   5 Max Roth M35 42:00     6 Zoë Łukasz F31 44:00 (Ł is not in the PDF fonts' character set)
 *   7 Dee Park F45 45:00     8 Fay Moss X (no age) 50:00   9 Leo Ward M61 55:00   Eve Núñez F22 DNF
 */
export function seedAwardsEvent(db: Db): void {
  seedEvent(db);
  const people: Array<[number, string, string, string, string, number]> = [
    [9107, '107', 'Lucía', 'Peña', 'F', 33],
    [9108, '108', 'Zoë', 'Łukasz', 'F', 31],
    [9109, '109', 'Max', 'Roth', 'M', 35],
    [9110, '110', 'Leo', 'Ward', 'M', 61],
  ];
  upsertRows(
    db,
    'runsignup_participants',
    ['registration_id'],
    people.map(([registration_id, bib_num, first_name, last_name, gender, age]) => ({ race_id: 77, event_id: 5001, registration_id, bib_num, first_name, last_name, gender, age })),
  );
}

export const awardsFinishFile = [
  'Bib,Chip Time,Gun Time,Status',
  '101,40:10,40:30,',
  '102,41:00,41:20,',
  '103,41:00,41:05,',
  '104,45:00,45:30,',
  '105,,,DNF',
  '106,50:00,50:10,',
  '107,39:50,40:00,',
  '108,44:00,44:20,',
  '109,42:00,42:10,',
  '110,55:00,55:30,',
  '',
].join('\n');
