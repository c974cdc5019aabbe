import { Scheduler } from '../core/sync/scheduler.ts';
import { startHubAutoPush, stopHubAutoPush } from '../core/hub/auto-push.ts';
import { startStationServer, type RunningStation, type StationOptions } from './server.ts';

/**
 * A whole station: the HTTP server plus the background work a venue laptop does while it serves:
 * scheduled provider syncs, and pushing venue changes to the hub whenever it is reachable.
 * Stopping it lets running syncs reach a page boundary first.
 */
export async function runStation(options: StationOptions & { background?: boolean }): Promise<RunningStation> {
  const server = await startStationServer(options);
  if (options.background === false) return server;
  const { core } = options;
  const scheduler = new Scheduler(core);
  scheduler.start();
  startHubAutoPush(core);
  return {
    ...server,
    async close() {
      stopHubAutoPush(core);
      await scheduler.stop();
      await server.close();
    },
  };
}
