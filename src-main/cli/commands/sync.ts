import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import type { CliContext } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import type { ProviderName } from '../../core/providers/types.ts';
import { ProgressLine } from '../progress.ts';

export function registerSyncCommands(program: Command, context: CliContext): void {
  program
    .command('sync <provider>')
    .description(summary('sync'))
    .requiredOption('--account <label>', 'the account label')
    .option('--race <id...>', 'only these races/events, also finished ones the listing no longer shows (default: upcoming races and those of the last syncPastDays days)')
    .option('--full', 'ignore incremental cursors and re-pull everything')
    .action(async (provider: string, options: { account: string; race?: string[]; full?: boolean }) => {
      await context.withCore(async (core) => {
        const progress = new ProgressLine(process.stderr);
        const unsubscribe = core.events.on('sync.progress', (p) => progress.update(p));
        try {
          // Through the sync queue: same rules, history and retries as the scheduled syncs.
          const summary = await context.call(core, 'queue.sync', {
            provider: provider as ProviderName,
            account: options.account,
            events: options.race,
            full: options.full,
          });
          progress.done();
          context.print(summary, () =>
            [
              `${summary.provider} "${summary.account}": ${summary.status}, ${summary.eventsListed} events listed`,
              ...summary.outcomes.map(
                (o) => `  ${o.eventName} (${o.eventId}) ${o.kind}: ${o.status}, ${o.records} stored${o.unchanged ? ` (${o.unchanged} unchanged)` : ''}${o.deleted ? `, ${o.deleted} removed` : ''}${o.error ? ` — ${o.error}` : ''}`,
              ),
            ].join('\n'),
          );
          if (summary.status !== 'success') {
            const firstError = summary.outcomes.find((o) => o.error)?.error ?? summary.jobs.find((j) => j.lastError)?.lastError ?? summary.status;
            throw new RaceDeskError('provider_error', `Sync ${summary.status}: ${firstError}`);
          }
        } finally {
          unsubscribe();
          progress.done();
        }
      });
    });
}
