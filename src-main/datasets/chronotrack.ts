/*
 * A deterministic ChronoTrack world for the simulator: race-day events with races (distances),
 * entries and interval=ALL results, in the API's own shapes (every scalar a string). The same
 * seed always gives the same world, so tests can name records; demo mode asks for a bigger one.
 */
import { familyNames, givenNames } from './synthetic/names.ts';
import { picker, randomBirthdate, seededRandom } from './synthetic/random.ts';

export type CtRecord = Record<string, string>;

export interface CtEventData {
  event: CtRecord;
  races: CtRecord[];
  entries: CtRecord[];
  /** interval=ALL rows: a full-course row per finisher plus one row per split. */
  results: CtRecord[];
  /** Fields only GET /entry/{id} sends (the entry list lacks them), by entry_id. */
  details: Record<string, CtRecord>;
  /** GET /event/{id}/bracket: per race an overall (PRIMARY), one per sex (SEX), one per age group (AGE). */
  brackets: CtRecord[];
}

export interface CtWorld {
  events: CtEventData[];
}

export interface CtDatasetOptions {
  seed?: number;
  /** Entries per event (default 12: small, fast tests). Demo mode uses a few hundred. */
  entriesPerEvent?: number;
  /** Number of events (default 2: one finished with results, one upcoming). */
  events?: number;
}

const places: Array<[string, string, string]> = [
  ['Peoria', 'IL', 'US'], ['Normal', 'IL', 'US'], ['Toronto', 'ON', 'CA'], ['Montréal', 'QC', 'CA'],
  ['Saint Paul', 'MN', 'US'], ['San José', 'CA', 'US'], ["Coeur d'Alene", 'ID', 'US'],
];
const teams = ['', '', '', 'Prairie Striders', 'Les Coureurs du Nord', "Pete's Pacers"];

const eventTemplates = [
  { name: 'Riverbend Half Marathon 2025', date: '2025-10-18', start: 1760788800, city: 'Peoria', published: '1', finished: true },
  { name: 'Frostbite 10K 2026', date: '2026-01-31', start: 1769875200, city: 'Bloomington', published: '0', finished: false },
  { name: 'Lakeshore Relay 2026', date: '2026-05-09', start: 1778328000, city: 'Chicago', published: '1', finished: false },
];

const raceTemplates = [
  { name: 'Half Marathon', distance: '13.1', unit: 'mi', minSeconds: 4500, maxSeconds: 9000, splits: ['10K'] },
  { name: '5K', distance: '5', unit: 'km', minSeconds: 900, maxSeconds: 2700, splits: [] as string[] },
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds as ChronoTrack's "HH:MM:SS.t". */
export function ctDuration(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const whole = Math.floor(tenths / 10);
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}.${tenths % 10}`;
}

function ageOn(birthdate: string, day: string): number {
  const [by, bm, bd] = birthdate.split('-').map(Number);
  const [dy, dm, dd] = day.split('-').map(Number);
  return dy - by - (dm < bm || (dm === bm && dd < bd) ? 1 : 0);
}

function bracketFor(sex: string, age: number): string {
  const low = Math.floor(age / 5) * 5;
  return `${sex}${low}-${low + 4}`;
}

export function chronotrackDataset(options: CtDatasetOptions = {}): CtWorld {
  const random = seededRandom(options.seed ?? 90412);
  const pick = picker(random);
  const perEvent = options.entriesPerEvent ?? 12;
  const eventCount = Math.min(options.events ?? 2, eventTemplates.length);
  const events: CtEventData[] = [];

  for (let e = 0; e < eventCount; e++) {
    const template = eventTemplates[e];
    const eventId = String(90412 + e * 165);
    const event: CtRecord = {
      event_id: eventId,
      event_name: template.name,
      event_start_time: String(template.start),
      event_end_time: String(template.start + 8 * 3600),
      event_date: template.date,
      location_time_zone: 'America/Chicago',
      location_city: template.city,
      event_is_published: template.published,
    };
    const races = raceTemplates.map((race, r) => ({
      race_id: String(231870 + e * 10 + r),
      race_name: race.name,
      race_distance: race.distance,
      race_distance_unit: race.unit,
    }));
    const entries: CtRecord[] = [];
    const details: Record<string, CtRecord> = {};
    const finishers: Array<{ entry: CtRecord; seconds: number; offset: number; raceIndex: number; dnf: boolean }> = [];
    for (let i = 0; i < perEvent; i++) {
      const [first, sex] = pick(givenNames);
      const last = pick(familyNames);
      const [city, region, country] = pick(places);
      const raceIndex = i % 2 === 0 ? 0 : 1;
      const { date: birthdate } = randomBirthdate(random, 1955, 52);
      const age = ageOn(birthdate, template.date);
      const entry: CtRecord = {
        entry_id: String(51100231 + e * 100000 + i),
        athlete_id: String(7723019 + e * 100000 + i * 7),
        entry_bib: String(raceIndex === 0 ? 1204 + i : 3017 + i),
        entry_name: `${first} ${last}`,
        athlete_first_name: first,
        athlete_last_name: last,
        athlete_sex: sex,
        athlete_birthdate: birthdate,
        entry_race_age: String(age),
        location_city: city,
        location_region: region,
        location_country: country,
        race_id: races[raceIndex].race_id,
        race_name: races[raceIndex].race_name,
        reg_choice_name: races[raceIndex].race_name,
        wave_name: raceIndex === 0 ? `Wave ${1 + (i % 3)}` : '',
        bracket_name: bracketFor(sex, age),
        team_name: pick(teams),
        entry_status: 'CONF',
        entry_type: 'REG',
      };
      entries.push(entry);
      details[entry.entry_id] = {
        athlete_email: `${asciiName(first)}.${asciiName(last)}${i}@example.com`,
        athlete_home_phone: i % 3 === 0 ? '' : `309-555-${String(1000 + i).slice(-4)}`,
        athlete_mobile_phone: `309-555-${String(2000 + i).slice(-4)}`,
        location_street: `${100 + i} Main St`,
        location_postal_code: '61602',
      };
      if (template.finished && i % 6 !== 5) {
        const race = raceTemplates[raceIndex];
        // DNFs only in the half marathon, whose 10K mat records them before they drop out.
        const dnf = raceIndex === 0 && i % 8 === 6;
        entry.entry_status = dnf ? 'DNF' : 'FIN';
        finishers.push({
          entry,
          seconds: race.minSeconds + random() * (race.maxSeconds - race.minSeconds),
          offset: Math.round(random() * 600) / 10,
          raceIndex,
          dnf,
        });
      }
    }
    const results: CtRecord[] = [];
    for (let r = 0; r < raceTemplates.length; r++) {
      const ranked = finishers.filter((f) => f.raceIndex === r && !f.dnf).sort((a, b) => a.seconds - b.seconds);
      for (const f of finishers.filter((x) => x.raceIndex === r)) {
        const rank = f.dnf ? '' : String(ranked.indexOf(f) + 1);
        const begin = template.start + f.offset;
        const base = resultBase(f.entry, event, races[r]);
        for (const split of raceTemplates[r].splits) {
          const splitSeconds = f.seconds * 0.46;
          results.push({
            ...base,
            results_interval_id: String(611200 + r),
            results_interval_name: split,
            results_interval_full: '0',
            results_time: ctDuration(splitSeconds),
            results_gun_time: ctDuration(splitSeconds + f.offset),
            results_rank: rank,
            results_begin_chip_time: begin.toFixed(2),
            results_end_chip_time: (begin + splitSeconds).toFixed(2),
            results_start_time: ctDuration(f.offset),
          });
        }
        if (f.dnf) continue;
        results.push({
          ...base,
          results_interval_id: String(611199 + r * 10),
          results_interval_name: 'Full Course',
          results_interval_full: '1',
          results_time: ctDuration(f.seconds),
          results_gun_time: ctDuration(f.seconds + f.offset),
          results_rank: rank,
          results_begin_chip_time: begin.toFixed(2),
          results_end_chip_time: (begin + f.seconds).toFixed(2),
          results_start_time: ctDuration(f.offset),
        });
      }
    }
    events.push({ event, races, entries, results, details, brackets: bracketsOf(races, entries) });
  }
  return { events };
}

const asciiName = (name: string) => name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

function bracketsOf(races: CtRecord[], entries: CtRecord[]): CtRecord[] {
  let next = 880101;
  const bracket = (race: CtRecord, name: string, type: string): CtRecord => ({
    bracket_id: String(next++),
    bracket_name: name,
    bracket_type: type,
    bracket_wants_leaderboard: '1',
    race_id: race.race_id,
  });
  return races.flatMap((race) => {
    const ageGroups = [...new Set(entries.filter((e) => e.race_id === race.race_id).map((e) => e.bracket_name))].sort();
    return [
      bracket(race, 'Overall', 'PRIMARY'),
      bracket(race, 'Male', 'SEX'),
      bracket(race, 'Female', 'SEX'),
      ...ageGroups.map((name) => bracket(race, name, 'AGE')),
    ];
  });
}

/**
 * GET /bracket/{id}/results: the full-course rows of the bracket's runners, results_rank their
 * place within it (by chip time, as the overall rank is).
 */
export function bracketResults(data: CtEventData, bracket: CtRecord): CtRecord[] {
  const inBracket = (row: CtRecord) => {
    if (row.results_race_id !== bracket.race_id || row.results_interval_full !== '1') return false;
    if (bracket.bracket_type === 'SEX') return row.results_sex === bracket.bracket_name.charAt(0);
    if (bracket.bracket_type === 'AGE') return row.results_primary_bracket_name === bracket.bracket_name;
    return true;
  };
  return data.results
    .filter(inBracket)
    .sort((a, b) => Number(a.results_rank) - Number(b.results_rank))
    .map((row, index) => ({ ...row, results_rank: String(index + 1) }));
}

function resultBase(entry: CtRecord, event: CtRecord, race: CtRecord): CtRecord {
  return {
    results_entry_id: entry.entry_id,
    results_bib: entry.entry_bib,
    results_first_name: entry.athlete_first_name,
    results_last_name: entry.athlete_last_name,
    results_sex: entry.athlete_sex,
    results_age: entry.entry_race_age,
    results_hometown: `${entry.location_city}, ${entry.location_region}, ${entry.location_country === 'US' ? 'USA' : 'CAN'}`,
    results_city: entry.location_city,
    results_state_code: entry.location_region,
    results_country_code: entry.location_country,
    results_race_id: race.race_id,
    results_race_name: race.race_name,
    results_event_name: event.event_name,
    results_pace: '',
    results_pace_unit: race.race_distance_unit === 'mi' ? 'min/mi' : 'min/km',
    results_primary_bracket_name: entry.bracket_name,
    results_penalty_time: '',
  };
}
