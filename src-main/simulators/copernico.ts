import { startSimulator, type RunningSimulator, type SimRequest, type SimResponse } from './kit.ts';
import type { CopernicoSecret } from '../core/providers/copernico/client.ts';
import { copernicoDataset, rank, summaryOf, type CopDatasetOptions, type CopRecord, type CopWorld } from '../datasets/copernico.ts';

/*
 * A local Copernico private API (copernico.md §7): x-api-key on every call, 401 for a wrong key,
 * 403 for a race of another company, 404 for an unknown race, {result: {code}, data} envelopes,
 * no paging. `demoLayout` answers athlete records the way the demo environment does (event
 * fields directly in data, no events[]) unless /full is asked.
 */

export const simulatorCredentials: CopernicoSecret = { api_key: 'cop-demo-key-5f1c2a90' };

export interface CopernicoSimulatorOptions extends CopDatasetOptions {
  world?: CopWorld;
  credentials?: CopernicoSecret;
  demoLayout?: boolean;
  /** false: /athlete/{id}/full is not served (404), as on a deployment without it. */
  servesFull?: boolean;
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
