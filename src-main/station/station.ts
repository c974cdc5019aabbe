import { Scheduler } from '../core/sync/scheduler.ts';
import { startStationServer, type RunningStation, type StationOptions } from './server.ts';

/**
 * A whole station: the HTTP server plus the background work a venue laptop does while it serves
 * (scheduled provider syncs). Stopping it lets running syncs reach a page boundary first.
 */
export async function runStation(options: StationOptions & { background?: boolean }): Promise<RunningStation> {
  const server = await startStationServer(options);
  if (options.background === false) return server;
  const scheduler = new Scheduler(options.core);
  scheduler.start();
  return {
    ...server,
    async close() {
      await scheduler.stop();
      await server.close();
    },
  };
}
