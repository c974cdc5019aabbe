import type { Db } from '../store/database.ts';
import type { EventRef } from './event-ref.ts';

/*
 * Where each provider keeps a runner's race (the distance that is timed and placed), and the day
 * that race is run. The providers nest differently (DOMAIN.md):
 *   ChronoTrack  the event is the whole race day; the entry's race is ct_participants.race_id /
 *                race_name (migrations 0001, 0010). Its day is ct_events.event_date, the local
 *                race day; event_start_time is UTC and can fall on the day before.
 *   Race Roster  the event holds sub-events (distances): raceroster_participants.race_id, named by
 *                the raceroster_events row (event_id, race_id), whose name the sync writes as
 *                "Event › Sub-event" and whose start_date is that distance's own start.
 *   RunSignUp, Copernico, Haku  the event already is the distance: no race inside it. RunSignUp
 *                events carry age_calc_base_date, the day its ages are computed on.
 *   walk-ups     local_participants (migration 0050) record no race: in an event with races their
 *                race is not known.
 * Nothing else in results knows these columns.
 */
export interface EntrantRace {
  /** The provider's race id; null where the event is the distance or the race is not known. */
  raceId: string | null;
  raceName: string | null;
  /** 'YYYY-MM-DD' the race is run on, when known. */
  raceDate: string | null;
  /** RunSignUp's age_calc_base_date ('YYYY-MM-DD'), when the event sets one. */
  ageBaseDate: string | null;
}

interface RaceSource {
  /** Selects participant_id, race_id, race_name, race_date, age_base_date for one event id (?). */
  sql: string;
  /** The race's name as crews say it. */
  raceName?: (stored: string | null) => string | null;
}

const sources: Record<string, RaceSource> = {
  chronotrack: {
    sql: `SELECT p.entry_id AS participant_id, p.race_id, coalesce(p.race_name, p.race_id) AS race_name,
                 coalesce(e.event_date, date(e.event_start_time)) AS race_date, NULL AS age_base_date
          FROM ct_participants p JOIN ct_events e ON e.event_id = p.event_id
          WHERE p.event_id = ?`,
  },
  raceroster: {
    sql: `SELECT CAST(p.registration_id AS TEXT) AS participant_id, CAST(p.race_id AS TEXT) AS race_id, e.name AS race_name,
                 date(e.start_date) AS race_date, NULL AS age_base_date
          FROM raceroster_participants p
          LEFT JOIN raceroster_events e ON e.event_id = p.event_id AND e.race_id = p.race_id
          WHERE p.event_id = CAST(? AS INTEGER)`,
    raceName: subEventName,
  },
  runsignup: {
    sql: `SELECT CAST(p.registration_id AS TEXT) AS participant_id, NULL AS race_id, NULL AS race_name,
                 date(e.start_time) AS race_date, date(e.age_calc_base_date) AS age_base_date
          FROM runsignup_participants p JOIN runsignup_events e ON e.event_id = p.event_id
          WHERE p.event_id = CAST(? AS INTEGER)`,
  },
};

/** Providers whose events hold several races; results are placed per race within them. */
export function eventHasRaces(provider: string): boolean {
  return provider === 'chronotrack' || provider === 'raceroster';
}

/** Providers that give a date of their own to compute ages on (RunSignUp's age_calc_base_date). */
export function providerHasAgeBaseDate(provider: string): boolean {
  return provider === 'runsignup';
}

/** Each registered participant's race, by participant id (the id unified_participants shows). */
export function loadEntrantRaces(db: Db, event: EventRef, only?: ReadonlySet<string>): Map<string, EntrantRace> {
  const races = new Map<string, EntrantRace>();
  const source = sources[event.sourceProvider];
  if (!source) return races;
  const rows = db.prepare(source.sql).iterate(event.eventId) as IterableIterator<{
    participant_id: string;
    race_id: string | null;
    race_name: string | null;
    race_date: string | null;
    age_base_date: string | null;
  }>;
  for (const row of rows) {
    if (only && !only.has(row.participant_id)) continue;
    races.set(row.participant_id, {
      raceId: row.race_id,
      raceName: source.raceName ? source.raceName(row.race_name) : row.race_name,
      raceDate: row.race_date,
      ageBaseDate: row.age_base_date,
    });
  }
  return races;
}

export interface EventRace {
  raceId: string;
  raceName: string | null;
}

/** The races registered participants are in, in the order people read them ("5K" before "10K" before "Half Marathon"). */
export function eventRaces(entrantRaces: ReadonlyMap<string, EntrantRace>): EventRace[] {
  const races = new Map<string, EventRace>();
  for (const race of entrantRaces.values()) {
    if (race.raceId !== null && !races.has(race.raceId)) races.set(race.raceId, { raceId: race.raceId, raceName: race.raceName });
  }
  return [...races.values()].sort(compareRaces);
}

export function compareRaces(a: { raceId: string | null; raceName: string | null }, b: { raceId: string | null; raceName: string | null }): number {
  if (a.raceId === null || b.raceId === null) return a.raceId === b.raceId ? 0 : a.raceId === null ? 1 : -1;
  return (a.raceName ?? a.raceId).localeCompare(b.raceName ?? b.raceId, undefined, { numeric: true }) || a.raceId.localeCompare(b.raceId, undefined, { numeric: true });
}

/** Race Roster's sync names sub-events "Event › 10K"; within the event the distance alone says it. */
function subEventName(stored: string | null): string | null {
  if (stored === null) return null;
  const parts = stored.split(' › ');
  return parts[parts.length - 1] || stored;
}

/** The whole event's name: Race Roster's unified_events rows are its sub-events ("Event › 10K"). */
export function wholeEventName(provider: string, name: string | null): string | null {
  if (provider !== 'raceroster' || name === null) return name;
  const cut = name.lastIndexOf(' › ');
  return cut > 0 ? name.slice(0, cut) : name;
}
