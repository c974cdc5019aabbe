import { createCore, type Core, type Logger } from '../core/core.ts';
import { createConfSettings } from '../core/settings/conf-settings.ts';
import { dispatch } from '../core/api/dispatch.ts';
import { Scheduler } from '../core/sync/scheduler.ts';
import { startHubAutoPush, stopHubAutoPush } from '../core/hub/auto-push.ts';
import { startAutomaticBackups, type AutomaticBackups } from '../core/store/backups.ts';
import { closeResultsWatch, resumeResultsWatch } from '../core/results/results-watch.ts';
import { registerStationControl } from '../core/station-access/control.ts';
import { startStationServer, type RunningStation } from '../station/server.ts';
import { describeStartupFailure } from './startup-failure.ts';
import { KeychainViaMain } from './keychain-via-main.ts';
import type { HostStartOptions, PortToMain } from './protocol.ts';

/*
 * The core host: everything that touches SQLite, the providers, the hub or the venue network
 * runs here, in its own process (an Electron utilityProcess in the app), so a long sync or push
 * never freezes a window. The main process talks to it only through the messages in protocol.ts,
 * and keeps the OS keychain: the host asks it for secrets over the same port (keychain-via-main.ts).
 */

const keychainProbe = 'racedesk:startup-check';

interface RunningHost {
  core: Core;
  scheduler: Scheduler;
  backups: AutomaticBackups;
  stopStation(): Promise<void>;
}

/**
 * Answers one port until `shutdown`, or until the main process's end of it is gone (then nobody is
 * left to serve: the host closes the core as for a shutdown); `exit` ends the process once the core is closed.
 */
export function serveCoreHost(port: PortToMain, exit: (code: number) => void, log: Logger = console): void {
  let host: RunningHost | null = null;
  let starting: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;
  const keychain = new KeychainViaMain((message) => port.postMessage(message));

  port.onClose(() => {
    keychain.close();
    void shutdown();
  });
  port.onMessage((message) => {
    if (message.type === 'start') {
      starting ??= start(message.options).then(
        (running) => {
          host = running;
          port.postMessage({ type: 'ready' });
        },
        (error: unknown) => {
          log.error('The core could not start', error);
          port.postMessage({ type: 'startup-failed', failure: describeStartupFailure(error, { settingsPath: settingsPathFor(message.options) }) });
        },
      );
    } else if (message.type === 'call') {
      void answer(message.id, message.name, message.input);
    } else if (message.type === 'shutdown') {
      void shutdown();
    } else if (message.type === 'keychain-result') {
      keychain.answer(message.id, message.result);
    }
  });

  async function start(options: HostStartOptions): Promise<RunningHost> {
    const core = createCore({
      dataDir: options.dataDir,
      settings: createConfSettings(options.dataDir),
      credentials: keychain.store(options.keychainTimeoutMs),
      log,
      stationName: options.stationName ?? 'Desktop',
      sqliteBinding: options.sqliteBinding,
    });
    try {
      // Without a keychain no account works: say so now, not at the first sync. Writing is the
      // probe, since a keychain that cannot be reached may still answer "no entry" to a read
      // (and a locked one asks the person to unlock it here, at start-up). It goes through the
      // main process like every keychain request, so it also proves main answers them.
      await core.credentials.set(keychainProbe, { probe: 'RaceDesk checks the keychain at start-up' });
      await core.credentials.delete(keychainProbe);
      const stopStation = await serveStationOnDemand(core, options.staticDir);
      core.events.onAny((name, payload) => port.postMessage({ type: 'event', name, payload }));
      // The same background work as a station: keep watched events fresh, push to the hub when it
      // is reachable, import what the timing software writes to the watched results folder.
      const scheduler = new Scheduler(core);
      scheduler.start();
      startHubAutoPush(core);
      await resumeResultsWatch(core);
      const backups = startAutomaticBackups(core.db, core.log);
      return { core, scheduler, backups, stopStation };
    } catch (error) {
      core.close();
      throw error;
    }
  }

  async function answer(id: number, name: string, input: unknown): Promise<void> {
    await starting;
    const result = host
      ? await dispatch(host.core, name, input)
      : ({ ok: false, error: { code: 'internal', message: 'RaceDesk has not started: see the start-up message.' } } as const);
    port.postMessage({ type: 'result', id, result });
  }

  /** Background work first (a running sync reaches a page boundary, so what it fetched is stored), then the core. */
  function shutdown(): Promise<void> {
    stopping ??= (async () => {
      await starting?.catch(() => undefined);
      if (host) {
        await host.backups.stop();
        stopHubAutoPush(host.core);
        await closeResultsWatch(host.core);
        await host.scheduler.stop();
        await host.stopStation();
        host.core.close();
        host = null;
      }
      exit(0);
    })();
    return stopping;
  }
}

function settingsPathFor(options: HostStartOptions): string | undefined {
  try {
    return createConfSettings(options.dataDir).path;
  } catch {
    return undefined;
  }
}

/** The Settings switch "serve other devices": the same station server `racedesk station` runs. */
async function serveStationOnDemand(core: Core, staticDir: string | undefined): Promise<() => Promise<void>> {
  let station: RunningStation | null = null;
  const control = {
    async start({ host, port }: { host: string; port: number }) {
      station = await startStationServer({ core, host, port, staticDir });
    },
    async stop() {
      await station?.close();
      station = null;
    },
  };
  registerStationControl(core, control);
  const { station: settings } = core.settings.read();
  if (settings.enabled) await control.start(settings);
  return () => control.stop();
}
