import { gzipSync } from 'node:zlib';
import { startSimulator, type RunningSimulator, type SimRequest, type SimResponse } from './kit.ts';
import type { CopernicoSecret } from '../core/providers/copernico/client.ts';
import { copernicoDataset, rank, summaryOf, type CopDatasetOptions, type CopRecord, type CopWorld } from '../datasets/copernico.ts';

/*
 * A local Copernico private API (copernico.md §7): x-api-key on every call, 401 for a wrong key,
 * 403 for a race of another company, 404 for an unknown race, {result: {code}, data} envelopes,
 * no paging. `demoLayout` answers athlete records the way the demo environment does (event
 * fields directly in data, no events[]) unless /full is asked. The public preset export (§4.5)
 * answers without a key: a bare array of flat rows, times in ms, for the one published preset.
 */

export const simulatorCredentials: CopernicoSecret = { api_key: 'cop-demo-key-5f1c2a90' };

/** The preset the simulator publishes, as an account names it (preset_login, preset_name). */
export const simulatorPreset = { preset_login: 'resultados@cronometrajes-sur.es', preset_name: 'Clasificación general' };

export interface CopernicoSimulatorOptions extends CopDatasetOptions {
  world?: CopWorld;
  credentials?: CopernicoSecret;
  demoLayout?: boolean;
  /** false: /athlete/{id}/full is not served (404), as on a deployment without it. */
  servesFull?: boolean;
  /** false: the preset is not published, and its export answers 404. */
  publishesPreset?: boolean;
  /** The preset export sends gzip bytes without Content-Encoding, as Copernico's CDN sometimes does. */
  gzipPreset?: boolean;
  port?: number;
  host?: string;
}

export interface CopernicoSimulator extends RunningSimulator {
  world: CopWorld;
  credentials: CopernicoSecret;
  /** Changes an athlete: top-level fields (name, gender...) and event fields via `event`. */
  updateAthlete(raceId: string, athleteId: string, patch: CopRecord, eventPatch?: CopRecord): void;
  /** Registers a new athlete in an event of a race; returns the record. */
  addAthlete(raceId: string, eventName: string, fields?: CopRecord): CopRecord;
  /** The race leaves the race list (finished, archived) but stays readable by its id. */
  delistRace(raceId: string): void;
  /** Puts a bad value into a field of an athlete record (the list item shows it too). */
  corruptAthlete(raceId: string, athleteId: string, field: string, value: unknown): void;
}

const ok = (data: unknown): SimResponse => ({ body: { result: { code: 1 }, data } });
const failure = (status: number, message: string): SimResponse => ({ status, body: { result: { code: -1, message }, data: null } });

export async function startCopernicoSimulator(options: CopernicoSimulatorOptions = {}): Promise<CopernicoSimulator> {
  const world = options.world ?? copernicoDataset(options);
  const credentials = options.credentials ?? simulatorCredentials;
  const raceById = (id: string) => world.races.find((r) => r.detail.id === id);
  const delisted = new Set<string>();

  const route = (request: SimRequest): SimResponse => {
    const preset = presetRoute(request.path);
    if (preset) return presetExport(preset);
    if (request.headers['x-api-key'] !== credentials.api_key) return failure(401, 'Unauthorized');
    const segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] !== 'api' || segments[1] !== 'races') return failure(404, 'Not found');
    const [, , raceId, sub, athleteId, full] = segments;
    if (raceId === undefined) return ok(world.races.map((r) => r.detail.id).filter((id) => !delisted.has(id)));
    if (world.foreignRaceIds.includes(raceId)) return failure(403, 'Forbidden');
    const race = raceById(raceId);
    if (!race) return failure(404, 'Race not found');
    if (sub === undefined) return ok(race.detail);
    if (sub === 'athletes' && athleteId === undefined) return ok(race.athletes.map(summaryOf));
    if (sub === 'athlete' && athleteId !== undefined && full === 'full' && options.servesFull === false) return failure(404, 'Not found');
    if (sub === 'athlete' && athleteId !== undefined && (full === undefined || full === 'full')) {
      const athlete = race.athletes.find((a) => a.id === athleteId);
      if (!athlete) return failure(404, 'Athlete not found');
      if (options.demoLayout && full === undefined) {
        const { events, ...person } = athlete;
        return ok({ ...person, ...((events as CopRecord[])[0] ?? {}) });
      }
      return ok(athlete);
    }
    return failure(404, 'Not found');
  };

  const presetExport = ({ raceId, owner, eventName }: PresetRequest): SimResponse => {
    const race = raceById(raceId);
    const published = options.publishesPreset !== false && owner === `${simulatorPreset.preset_login}:::${simulatorPreset.preset_name}`;
    if (!race || !published) return failure(404, 'Preset not found');
    const eventOf = (athlete: CopRecord) => String((athlete.events as CopRecord[])[0]?.event);
    const athletes = race.athletes.filter((a) => eventName === undefined || eventOf(a) === eventName);
    const splits = new Map<string, string[]>();
    for (const name of new Set(athletes.map(eventOf))) splits.set(name, splitsOf(athletes.filter((a) => eventOf(a) === name)));
    const rows = athletes.map((athlete) => presetRowOf(athlete, splits.get(eventOf(athlete))!));
    return { body: options.gzipPreset ? gzipSync(JSON.stringify(rows)) : rows };
  };

  const running = await startSimulator({ route, port: options.port, host: options.host });
  const athleteOf = (raceId: string, athleteId: string) => {
    const athlete = raceById(raceId)?.athletes.find((a) => a.id === athleteId);
    if (!athlete) throw new Error(`The simulator has no athlete ${athleteId} in race ${raceId}`);
    return athlete;
  };

  return Object.assign(running, {
    delistRace(raceId: string) {
      delisted.add(raceId);
    },
    world,
    credentials,
    updateAthlete(raceId: string, athleteId: string, patch: CopRecord, eventPatch: CopRecord = {}) {
      const athlete = athleteOf(raceId, athleteId);
      Object.assign(athlete, patch);
      Object.assign((athlete.events as CopRecord[])[0], eventPatch);
      rank(raceById(raceId)!.athletes);
    },
    addAthlete(raceId: string, eventName: string, fields: CopRecord = {}) {
      const race = raceById(raceId);
      if (!race) throw new Error(`The simulator has no race ${raceId}`);
      const athlete: CopRecord = {
        id: `NEW${String(race.athletes.length).padStart(5, '0')}`,
        name: 'Nuria', surname: "Dell'Olio", gender: 'female', birthdate: '1990-05-05', club: '', nationality: 'ESP',
        events: [{ event: eventName, dorsal: 9000 + race.athletes.length, category: 'Senior F', status: 'notstarted', times: {}, rankings: {} }],
        ...fields,
      };
      race.athletes.push(athlete);
      return athlete;
    },
    corruptAthlete(raceId: string, athleteId: string, field: string, value: unknown) {
      athleteOf(raceId, athleteId)[field] = value;
    },
  });
}

interface PresetRequest {
  raceId: string;
  /** "{login}:::{preset}" */
  owner: string;
  eventName?: string;
}

/** GET /api/races/{race}/preset/{login}:::{preset}[/{event}] */
function presetRoute(path: string): PresetRequest | null {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments[0] !== 'api' || segments[1] !== 'races' || segments[3] !== 'preset' || segments.length < 5 || segments.length > 6) return null;
  return { raceId: segments[2], owner: segments[4], ...(segments[5] !== undefined ? { eventName: segments[5] } : {}) };
}

/**
 * An athlete as one row of a results preset (copernico.md §4.5): flat athlete fields, then per
 * split past the start "times.real_" (gun), "times.official_" (net) in ms, the last split as
 * ":::finish:::" with its time of day "times.tod_", null where not reached.
 */
function presetRowOf(athlete: CopRecord, splits: string[]): CopRecord {
  const block = (athlete.events as CopRecord[])[0] ?? {};
  const times = (block.times ?? {}) as Record<string, CopRecord>;
  const row: CopRecord = {
    dorsal: block.dorsal, name: athlete.name, surname: athlete.surname, gender: athlete.gender, birthdate: athlete.birthdate,
    category: block.category, status: block.status, event: block.event,
  };
  splits.forEach((split, index) => {
    const label = index === splits.length - 1 ? 'finish' : split;
    const time = times[split];
    row[`times.real_:::${label}:::`] = time ? time.time : null;
    row[`times.official_:::${label}:::`] = time ? time.netTime : null;
    if (label === 'finish') row['times.tod_:::finish:::'] = time ? (time.raw as CopRecord).time : null;
  });
  return row;
}

/** An event's split names past the start (distance 0), in course order, from its athletes' times. */
function splitsOf(athletes: CopRecord[]): string[] {
  const order = new Map<string, number>();
  for (const athlete of athletes) {
    for (const [name, time] of Object.entries(((athlete.events as CopRecord[])[0]?.times ?? {}) as Record<string, CopRecord>)) {
      if (Number(time.distance) > 0) order.set(name, Number(time.order));
    }
  }
  return [...order].sort((a, b) => a[1] - b[1]).map(([name]) => name);
}
