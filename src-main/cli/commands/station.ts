import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';
import { createCore, type Core } from '../../core/core.ts';
import { createConfSettings } from '../../core/settings/conf-settings.ts';
import { createKeychain } from '../../core/credentials/keychain.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { runStation } from '../../station/station.ts';
import type { RunningStation } from '../../station/server.ts';
import { updateSettings } from '../../core/settings/settings.ts';
import type { Handlers } from '../../core/api/handlers.ts';
import type { OutputOf } from '../../core/api/contract.ts';
import { createPairingCode } from '../../core/station-access/devices.ts';

export interface StationCommandOptions {
  host?: string;
  port?: string;
  name?: string;
}

export function registerStationCommands(program: Command, context: CliContext): void {
  const station = program
    .command('station')
    .description(summary('station'))
    .option('--host <address>', 'address to listen on; 0.0.0.0 for every network (default: 127.0.0.1, this computer only)')
    .option('--port <n>', 'port (default: from settings, 4888; 0 picks a free one)')
    .option('--name <station>', "this station's name in audit trails (default: from settings)")
    .action(async (options: StationCommandOptions) => {
      const core = openStationCore(context, context.options.dataDir, options.name);
      await serveUntilStopped(core, options);
    });
  registerDeviceCommands(station, context);
}

type Device = OutputOf<Handlers['station.devices']>[number];

const roleWords = { venue: 'check-in table', admin: 'admin' } as const;
const roleWithArticle = { venue: 'a check-in table', admin: 'an admin' } as const;

/** The device a typed id means: its whole id or, as `station devices` shows it, a prefix only it has. */
async function deviceNamed(context: CliContext, core: Core, typed: string): Promise<string> {
  const devices = await context.call(core, 'station.devices', {});
  const matching = devices.filter((d) => d.deviceId === typed || (typed.length >= 4 && d.deviceId.startsWith(typed)));
  if (matching.length === 1) return matching[0].deviceId;
  throw new RaceDeskError(
    matching.length === 0 ? 'not_found' : 'invalid_input',
    matching.length === 0
      ? `No device with the id "${typed}" joined this station; \`racedesk station devices\` lists them.`
      : `"${typed}" is the start of several devices' ids (${matching.map((d) => d.name).join(', ')}); type more of it.`,
  );
}

function describeDevice(device: Device): string {
  return `“${device.name}” (${device.deviceId}) is ${device.revokedAt ? `removed since ${device.revokedAt}` : roleWithArticle[device.role]}.`;
}

/*
 * Managing joined devices from the station laptop's terminal, over the same handlers as
 * Settings › Devices: these are the laptop's own calls (no device may make them).
 */
function registerDeviceCommands(station: Command, context: CliContext): void {
  station
    .command('devices')
    .description('the devices that joined this station: id, name, role, when it joined and was last seen, removed ones too')
    .action(async () => {
      await context.withCore(async (core) => {
        const devices = await context.call(core, 'station.devices', {});
        context.print(devices, () =>
          formatTable(
            devices.map((d) => ({
              id: d.deviceId,
              name: d.name,
              role: roleWords[d.role],
              joined: d.pairedAt,
              'last seen': d.lastSeenAt,
              state: d.revokedAt ? `removed ${d.revokedAt}` : 'active',
            })),
            ['id', 'name', 'role', 'joined', 'last seen', 'state'],
          ),
        );
      });
    });

  station
    .command('revoke <id>')
    .description("remove a device: its token stops working at once and it must join again with a new pairing code (id: from `station devices`, or the start of it)")
    .action(async (typed: string) => {
      await context.withCore(async (core) => {
        const device = await context.call(core, 'station.revokeDevice', { deviceId: await deviceNamed(context, core, typed) });
        context.print(device, () => describeDevice(device));
      });
    });

  station
    .command('promote <id>')
    .description('make a device an admin (every screen but the laptop-only ones), or with --venue a check-in table again')
    .option('--venue', 'back to check-in rights only (lookup, check-in, undo, bib change, walk-up, counters, its own scope)')
    .action(async (typed: string, options: { venue?: boolean }) => {
      await context.withCore(async (core) => {
        const deviceId = await deviceNamed(context, core, typed);
        const device = await context.call(core, 'station.setDeviceRole', { deviceId, role: options.venue ? 'venue' : 'admin' });
        context.print(device, () => describeDevice(device));
      });
    });

  station
    .command('pair')
    .description('a one-time pairing code for one more device (check-in rights; --admin: admin rights), with the address that joins it')
    .option('--admin', 'the device joins as an admin')
    .action(async (options: { admin?: boolean }) => {
      await context.withCore(async (core) => {
        const pairing = await context.call(core, 'station.pairingCode', { role: options.admin ? 'admin' : 'venue' });
        context.print(pairing, () =>
          [
            pairing.shortCode,
            `One device may join with it as ${roleWithArticle[pairing.role]} until ${pairing.expiresAt}: open ${pairing.url}, or type the code on the station's "Join the station" screen.`,
            ...(pairing.notice ? [pairing.notice] : []),
          ].join('\n'),
        );
      });
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
  /** When the configured port is taken, listen on a free one and save it as the configured port. */
  movePortIfTaken?: boolean;
}

/*
 * What the crew reads at start: how venue devices join (the printed address and its code give
 * check-in rights only), a one-time admin link for this laptop's own browser, and plainly when
 * other devices cannot join or can read the traffic.
 */
function joinInstructions(core: Core, station: RunningStation): string {
  const lines = [`Station "${core.options.stationName}" serving ${core.dataDir}.`];
  if (station.notice) lines.push(station.notice);
  else {
    lines.push(
      `Devices join at ${station.url} (the address above, for check-in tables) or by typing the pairing code ${station.shortCode} at ${station.origin}. Each code lets one device join and expires in 15 minutes; Settings › Station shows the next one.`,
      'The station speaks plain HTTP: anyone on the venue Wi-Fi can read its traffic (runners\' names and check-ins). Use a closed network for the crew.',
    );
  }
  const admin = createPairingCode(core.db, 'admin');
  const own = station.host === '0.0.0.0' || station.host === '::' || station.notice ? `http://127.0.0.1:${station.port}` : station.origin;
  lines.push(`This laptop's own browser (admin rights, do not share, works once): ${own}/?pair=${admin.code}`);
  return lines.join('\n');
}

/**
 * Starts the station on `port`. With `movePortIfTaken` (the demo), a port taken by something else
 * moves to a free one, saved as the configured port so the next run keeps it (devices that joined
 * keep their address); otherwise a taken port is a plain error.
 */
export async function startStationKeepingPort(core: Core, host: string, port: number, movePortIfTaken: boolean): Promise<RunningStation> {
  const configured = core.settings.read().station.port;
  let station: RunningStation;
  try {
    station = await runStation({ core, host, port }).catch((error: unknown) => {
      if (movePortIfTaken && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') return runStation({ core, host, port: 0 });
      throw error;
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new RaceDeskError('conflict', `Port ${port} is already in use: is another station running? Pick another with --port.`);
    }
    throw error;
  }
  if (movePortIfTaken && station.port !== configured) {
    const chosen = station.port;
    updateSettings(core.settings, (current) => ({ ...current, station: { ...current.station, port: chosen } }));
  }
  return station;
}

export async function serveUntilStopped(core: Core, options: StationCommandOptions, hooks: StationHooks = {}): Promise<void> {
  const configured = core.settings.read().station;
  const port = options.port === undefined ? configured.port : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    core.close();
    throw new RaceDeskError('invalid_input', `--port must be a number from 0 to 65535, not "${options.port}".`);
  }
  let station: RunningStation;
  try {
    station = await startStationKeepingPort(core, options.host ?? configured.host, port, hooks.movePortIfTaken ?? false);
  } catch (error) {
    core.close();
    throw error;
  }
  process.stdout.write(`${station.url}\n`);
  process.stderr.write(`${joinInstructions(core, station)}\nCtrl-C stops it.\n`);
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
