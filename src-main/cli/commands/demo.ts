import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliContext } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { startDemoProviders, syncDemoAccounts } from '../../core/demo/demo.ts';
import { defaultStaticDir } from '../../station/server.ts';
import { openStationCore, serveUntilStopped } from './station.ts';

/** The demo never touches the user's own data: its own folder and its own keychain service. */
export const demoKeychainService = 'racedesk-demo';

export function registerDemoCommands(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('a complete demo on this computer: simulated providers, synced data, and the station (URL on the first line)')
    .option('--host <address>', 'address to listen on (default: 127.0.0.1)')
    .option('--port <n>', 'port (default: any free port)')
    .action(async (options: { host?: string; port?: string }) => {
      const explicitDir = program.opts<{ dataDir?: string }>().dataDir;
      const dataDir = resolve(explicitDir ?? join(tmpdir(), 'racedesk-demo'));
      buildRendererIfMissing();
      const core = openStationCore(context, dataDir, 'Demo station', demoKeychainService);
      let demo;
      try {
        process.stderr.write(`Demo data folder: ${dataDir}\n`);
        demo = await startDemoProviders(core);
      } catch (error) {
        core.close();
        throw error;
      }
      // The URL comes first; the syncs then fill the screens, which show their progress live.
      const environment = demo;
      const stopping = new AbortController();
      let syncing: Promise<void> = Promise.resolve();
      try {
        await serveUntilStopped(
          core,
          { host: options.host, port: options.port ?? '0' },
          {
            onStarted: () => {
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
        await demo.close();
      }
    });
}

/** `npm install` does not build the screens; the demo builds them once (about a second). */
function buildRendererIfMissing(): void {
  if (existsSync(join(defaultStaticDir, 'index.html'))) return;
  process.stderr.write('Building the RaceDesk screens (first run)...\n');
  const result = spawnSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', process.stderr, process.stderr], cwd: resolve(defaultStaticDir, '..', '..') });
  if (result.status !== 0) throw new RaceDeskError('internal', 'Building the screens failed (npx electron-vite build); see the output above.');
}
