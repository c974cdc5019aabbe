import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';
import { loadEntrantRaces } from './races.ts';
import { csvDocument, csvField } from '../browse/csv.ts';

/*
 * Start lists for the timing system: FinishLynx's database files and a generic CSV. FinishLynx
 * reads lynx.ppl (one competitor a line: ID, last name, first name, affiliation) and lynx.evt (an
 * event line "number,round,heat,name", then one ",ID,lane" line per competitor); fields with a
 * comma or quote are quoted as in CSV, names are written as registered (UTF-8, accents kept).
 * Road races have no lanes, so the lane stays empty; an event with several races (distances)
 * gets one FinishLynx event per race.
 */
export interface StartListEntry {
  participantId: string;
  bib: string;
  chip: string | null;
  firstName: string | null;
  lastName: string | null;
  gender: string | null;
  age: number | null;
  team: string | null;
  wave: string | null;
  race: string | null;
  /** Picked up the packet at the venue already. */
  checkedIn: boolean;
}

/* Chip numbers (RunSignUp) and start waves (ChronoTrack) live only in their providers' tables. */
export function loadStartList(db: Db, event: EventRef): StartListEntry[] {
  const rows = db
    .prepare(
      `SELECT u.participant_id AS participantId, u.bib_number AS bib, r.chip_num AS chip, u.first_name AS firstName, u.last_name AS lastName,
              u.gender, u.age, u.team_name AS team, c.wave_name AS wave, u.checked_in AS checkedIn
       FROM unified_participants u
       LEFT JOIN runsignup_participants r ON u.source_provider = 'runsignup' AND CAST(r.registration_id AS TEXT) = u.participant_id AND CAST(r.event_id AS TEXT) = u.event_id
       LEFT JOIN ct_participants c ON u.source_provider = 'chronotrack' AND c.entry_id = u.participant_id AND c.event_id = u.event_id
       WHERE u.source_provider = ? AND u.event_id = ? AND u.bib_number IS NOT NULL AND trim(u.bib_number) <> ''
       ORDER BY CAST(u.bib_number AS INTEGER), u.bib_number`,
    )
    .all(event.sourceProvider, event.eventId) as Array<Omit<StartListEntry, 'race' | 'checkedIn'> & { checkedIn: number }>;
  const races = loadEntrantRaces(db, event);
  return rows.map((row) => ({ ...row, checkedIn: row.checkedIn === 1, race: races.get(row.participantId)?.raceName ?? null }));
}

export interface StartListFile {
  name: string;
  content: string;
}

const line = (fields: readonly unknown[]) => fields.map(csvField).join(',');

export function lynxFiles(event: EventRef, entries: readonly StartListEntry[]): StartListFile[] {
  const people = entries.map((entry) => line([entry.bib, entry.lastName, entry.firstName, entry.team]));
  const byRace = new Map<string, StartListEntry[]>();
  for (const entry of entries) {
    const name = entry.race ?? event.eventName ?? event.eventId;
    byRace.set(name, [...(byRace.get(name) ?? []), entry]);
  }
  const events = [...byRace].flatMap(([name, competitors], i) => [line([i + 1, 1, 1, name]), ...competitors.map((entry) => line(['', entry.bib, '']))]);
  return [
    { name: 'lynx.ppl', content: `${people.join('\r\n')}\r\n` },
    { name: 'lynx.evt', content: `${events.join('\r\n')}\r\n` },
  ];
}

export function startListCsv(entries: readonly StartListEntry[]): StartListFile {
  const header = ['Bib', 'Chip', 'First Name', 'Last Name', 'Gender', 'Age', 'Team', 'Wave', 'Race'];
  const rows = entries.map((e) => [e.bib, e.chip, e.firstName, e.lastName, e.gender, e.age, e.team, e.wave, e.race]);
  return { name: 'start-list.csv', content: csvDocument([header, ...rows]) };
}
