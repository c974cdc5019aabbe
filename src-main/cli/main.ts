import { Command, CommanderError } from 'commander';
import { CliContext } from './context.ts';
import { RaceDeskError } from '../core/errors.ts';
import { registerAccountCommands } from './commands/account.ts';
import { registerSyncCommands } from './commands/sync.ts';
import { registerQueueCommands } from './commands/queue.ts';
import { registerHistoryCommands } from './commands/history.ts';
import { registerLookupCommands } from './commands/lookup.ts';
import { registerStatusCommands } from './commands/status.ts';
import { registerHubCommands } from './commands/hub.ts';
import { registerPushCommands } from './commands/push.ts';
import { registerResultsCommands } from './commands/results.ts';
import { registerSimulateCommands } from './commands/simulate.ts';
import { registerStationCommands } from './commands/station.ts';
import { registerDemoCommands } from './commands/demo.ts';

/** Exit codes: 0 success, 1 failure, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('racedesk')
    .description('RaceDesk: registrations, packet pickup and results for timing crews, online or not.')
    .option('--data-dir <dir>', "data folder (default: the desktop app's own folder)")
    .option('--json', 'machine-readable output on stdout; progress and logs on stderr')
    .showHelpAfterError()
    .exitOverride();
  const context = new CliContext(program);
  for (const register of [registerAccountCommands, registerSyncCommands, registerQueueCommands, registerHistoryCommands, registerLookupCommands, registerStatusCommands, registerHubCommands, registerPushCommands, registerSimulateCommands, registerResultsCommands, registerStationCommands, registerDemoCommands]) {
    register(program, context);
  }
  program.configureOutput({ outputError: (text) => process.stderr.write(text) });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      return 2;
    }
    if (error instanceof RaceDeskError && error.code === 'invalid_input') {
      process.stderr.write(`racedesk: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`racedesk: ${message}\n`);
    return 1;
  }
}
