import type { Core } from '../core.ts';

/**
 * How a shell that can run the station server on demand (the desktop app) lets the core switch
 * it: the core owns the setting, the shell owns the sockets. The `racedesk station` process
 * registers none: it is the station for as long as it runs.
 */
export interface StationControl {
  start(options: { host: string; port: number }): Promise<void>;
  stop(): Promise<void>;
}

const controls = new WeakMap<Core, StationControl>();

export function registerStationControl(core: Core, control: StationControl): void {
  controls.set(core, control);
}

export function stationControl(core: Core): StationControl | undefined {
  return controls.get(core);
}
