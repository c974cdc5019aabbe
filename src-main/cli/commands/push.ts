import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import type { CliContext } from '../context.ts';

export function registerPushCommands(program: Command, context: CliContext): void {
  program
    .command('push')
    .description(summary('push'))
    .action(async () => {
      await context.withCore(async (core) => {
        const summary = await context.call(core, 'hub.push', {});
        context.print(summary, () =>
          summary.rows === 0 ? 'Nothing to push: the hub has every change.' : `Pushed ${summary.rows} changes in ${summary.batches} batches; ${summary.pending} pending.`,
        );
      });
    });
}
