import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CliContext } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { startDemo, syncDemoAccounts, type Demo } from '../../demo/demo.ts';
import type { DemoHub } from '../../demo/demo-hub.ts';
import { defaultStaticDir } from '../../station/server.ts';
import { openStationCore, serveUntilStopped } from './station.ts';

/** The demo never touches the user's own data: its own folder and its own keychain service. */
export const demoKeychainService = 'racedesk-demo';

export function registerDemoCommands(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description(summary('demo'))
    .option('--host <address>', 'address to listen on (default: 127.0.0.1)')
    .option('--port <n>', 'port (default: the one the last demo run used; 4888 the first time, a free one if that is taken)')
    .option('--small', 'a small race (about a dozen runners per event) instead of a few thousand runners')
    .action(async (options: { host?: string; port?: string; small?: boolean }) => {
      const explicitDir = program.opts<{ dataDir?: string }>().dataDir;
      const dataDir = resolve(explicitDir ?? join(tmpdir(), 'racedesk-demo'));
      buildRendererIfMissing();
      const core = openStationCore(context, dataDir, 'Demo station', demoKeychainService);
      // The data folder is private (0700), but as root the demo hub's PostgreSQL runs as the postgres
      // user and must pass through it to hub/: let others traverse, not list (the database stays 0600).
      if (process.getuid?.() === 0) chmodSync(dataDir, 0o711);
      let demo: Demo;
      try {
        process.stderr.write(`Demo data folder: ${dataDir}\nStarting the demo hub (PostgreSQL) and the simulators...\n`);
        demo = await startDemo(core, { hubDir: join(dataDir, 'hub'), size: options.small ? 'small' : 'demo' });
      } catch (error) {
        core.close();
        throw error;
      }
      // The URL comes first; the syncs then fill the screens, which show their progress live,
      // and the station's auto-push carries every synced row and check-in to the hub.
      const environment = demo;
      const stopping = new AbortController();
      let syncing: Promise<void> = Promise.resolve();
      try {
        await serveUntilStopped(
          core,
          { host: options.host, port: options.port },
          {
            movePortIfTaken: options.port === undefined,
            onStarted: () => {
              printHub(environment.hub);
              process.stderr.write(`Syncing ${environment.accounts.map((a) => a.label).join(', ')}...\n`);
              syncing = syncDemoAccounts(core, environment.accounts, { signal: stopping.signal }).then((outcomes) => {
                for (const o of outcomes) {
                  process.stderr.write(`  ${o.label}: ${o.status}, ${o.records} records${o.message ? ` (${o.message})` : ''}\n`);
                }
                process.stderr.write('Demo ready.\n');
              });
            },
            beforeClose: async () => {
              stopping.abort();
              await syncing;
            },
          },
        );
      } finally {
        // After the station (and its auto-push) stopped: the simulators, then PostgreSQL.
        await demo.close();
        process.stderr.write('Demo stopped; its data stays in the demo data folder for the next run.\n');
      }
    });
}

function printHub(hub: DemoHub): void {
  process.stderr.write(
    [
      `Hub: ${hub.url} (PostgreSQL on this computer, data in ${dirname(hub.passFile)}), timing partner ${hub.partner.id} "${hub.partner.name}".`,
      hub.psqlCommand
        ? `  Look at it: ${hub.psqlCommand}`
        : `  Look at it as its administrator: ${hub.adminUrl} (the password is in ${hub.passFile}).`,
      '  Push state: Settings > Hub in the station, or the API call hub.status.',
      '',
    ].join('\n'),
  );
}

/** `npm install` does not build the screens; the demo builds them once (about a second). */
function buildRendererIfMissing(): void {
  if (existsSync(join(defaultStaticDir, 'index.html'))) return;
  process.stderr.write('Building the RaceDesk screens (first run)...\n');
  const result = spawnSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', process.stderr, process.stderr], cwd: resolve(defaultStaticDir, '..', '..') });
  if (result.status !== 0) throw new RaceDeskError('internal', 'Building the screens failed (npx electron-vite build); see the output above.');
}
