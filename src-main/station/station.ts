import { Scheduler } from '../core/sync/scheduler.ts';
import { startHubAutoPush, stopHubAutoPush } from '../core/hub/auto-push.ts';
import { startAutomaticBackups } from '../core/store/backups.ts';
import { closeResultsWatch, resumeResultsWatch } from '../core/results/results-watch.ts';
import { startStationServer, type RunningStation, type StationOptions } from './server.ts';

/**
 * A whole station: the HTTP server plus the background work a venue laptop does while it serves:
 * scheduled provider syncs, pushing venue changes to the hub whenever it is reachable, the
 * watched results folder (the Results screen's switch), and hourly database backups.
 * Stopping it lets running syncs reach a page boundary first.
 */
export async function runStation(options: StationOptions & { background?: boolean }): Promise<RunningStation> {
  const server = await startStationServer(options);
  if (options.background === false) return server;
  const { core } = options;
  const scheduler = new Scheduler(core);
  scheduler.start();
  startHubAutoPush(core);
  await resumeResultsWatch(core);
  const backups = startAutomaticBackups(core.db, core.log);
  return {
    ...server,
    async close() {
      await backups.stop();
      stopHubAutoPush(core);
      await closeResultsWatch(core);
      await scheduler.stop();
      await server.close();
    },
  };
}
