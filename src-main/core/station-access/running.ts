import type { Core } from '../core.ts';

/** The station a core serves in this process, if any (station.info reports its real address). */
export interface RunningStationInfo {
  host: string;
  port: number;
}

const running = new WeakMap<Core, RunningStationInfo>();

export function runningStation(core: Core): RunningStationInfo | undefined {
  return running.get(core);
}

export function markRunning(core: Core, station: RunningStationInfo | undefined): void {
  if (station) running.set(core, station);
  else running.delete(core);
}
