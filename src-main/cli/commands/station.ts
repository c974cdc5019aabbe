import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import type { CliContext } from '../context.ts';
import { createCore, type Core } from '../../core/core.ts';
import { createConfSettings } from '../../core/settings/conf-settings.ts';
import { createKeychain } from '../../core/credentials/keychain.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { runStation } from '../../station/station.ts';

export interface StationCommandOptions {
  host?: string;
  port?: string;
  name?: string;
}

export function registerStationCommands(program: Command, context: CliContext): void {
  program
    .command('station')
    .description(summary('station'))
    .option('--host <address>', 'address to listen on; 0.0.0.0 for every network (default: 127.0.0.1, this computer only)')
    .option('--port <n>', 'port (default: from settings, 4888; 0 picks a free one)')
    .option('--name <station>', "this station's name in audit trails (default: from settings)")
    .action(async (options: StationCommandOptions) => {
      const core = openStationCore(context, context.options.dataDir, options.name);
      await serveUntilStopped(core, options);
    });
}

/** A core named after the station (settings, unless --name), so its own actions are audited as such. */
export function openStationCore(context: CliContext, dataDir: string, name?: string, keychainService?: string): Core {
  const settings = createConfSettings(dataDir);
  return createCore({
    dataDir,
    settings,
    credentials: createKeychain(keychainService ?? (process.env.RACEDESK_KEYCHAIN_SERVICE || undefined)),
    log: context.log,
    stationName: name ?? process.env.RACEDESK_STATION_NAME ?? settings.read().station.name,
  });
}

/** Starts the station, prints its URL as the first line of stdout, and runs until Ctrl-C. */
export interface StationHooks {
  /** Runs once the URL is printed. */
  onStarted?: () => void;
  /** Runs after Ctrl-C, before the station and the core close (finish background work here). */
  beforeClose?: () => Promise<void>;
}

export async function serveUntilStopped(core: Core, options: StationCommandOptions, hooks: StationHooks = {}): Promise<void> {
  const configured = core.settings.read().station;
  const port = options.port === undefined ? configured.port : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    core.close();
    throw new RaceDeskError('invalid_input', `--port must be a number from 0 to 65535, not "${options.port}".`);
  }
  let station;
  try {
    station = await runStation({ core, host: options.host ?? configured.host, port });
  } catch (error) {
    core.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new RaceDeskError('conflict', `Port ${port} is already in use: is another station running? Pick another with --port.`);
    }
    throw error;
  }
  process.stdout.write(`${station.url}\n`);
  process.stderr.write(`Station "${core.options.stationName}" serving ${core.dataDir}. Short code: ${station.token.shortCode}. Ctrl-C stops it.\n`);
  hooks.onStarted?.();
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('Stopping the station...\n');
  await hooks.beforeClose?.();
  await station.close();
  core.close();
}
