import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import type { CliContext } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { simulatedProviders, startProviderSimulator } from '../../simulators/registry.ts';
import type { ProviderName } from '../../core/providers/types.ts';
import { parsePositiveInt } from './account.ts';

export function registerSimulateCommands(program: Command, context: CliContext): void {
  program
    .command('simulate <provider>')
    .description(summary('simulate'))
    .option('--port <n>', 'port (default: any free port)', (v) => parsePositiveInt(v, '--port'))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--size <size>', 'small or demo', 'small')
    .action(async (provider: string, options: { port?: number; host: string; size: string }) => {
      if (!simulatedProviders().includes(provider as ProviderName)) {
        throw new RaceDeskError('invalid_input', `No simulator for "${provider}". Simulators: ${simulatedProviders().join(', ')}.`);
      }
      if (options.size !== 'small' && options.size !== 'demo') throw new RaceDeskError('invalid_input', '--size must be small or demo.');
      const sim = await startProviderSimulator(provider as ProviderName, { port: options.port, host: options.host, size: options.size });
      // First line: the base URL; second: the credential, ready to pipe into `racedesk account add`.
      context.print({ url: sim.url, credential: sim.credential }, () => `${sim.url}\n${JSON.stringify(sim.credential)}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.close();
    });
}
