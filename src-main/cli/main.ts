import { Command, CommanderError } from 'commander';
import { RaceDeskError } from '../core/errors.ts';
import { commandList, commandOf } from './command-list.ts';

/** Exit codes: 0 success, 1 failure, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('racedesk')
    .description('RaceDesk: registrations, packet pickup and results for timing crews, online or not.')
    .option('--data-dir <dir>', "data folder (default: the desktop app's own folder)")
    .option('--json', 'machine-readable output on stdout; progress and logs on stderr')
    .showHelpAfterError()
    .exitOverride();
  const name = commandOf(argv);
  if (name) {
    // Only the command being run is loaded, with what it needs (the core, the database, ...).
    const [{ CliContext }, register] = await Promise.all([import('./context.ts'), commandList[name].load()]);
    register(program, new CliContext(program));
  } else {
    // Help or a mistake: the list of commands is all commander needs, and nothing is loaded.
    for (const { usage, summary } of Object.values(commandList)) program.command(usage).description(summary);
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
