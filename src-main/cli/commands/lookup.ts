import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';
import { parsePositiveInt } from './account.ts';

export function registerLookupCommands(program: Command, context: CliContext): void {
  program
    .command('lookup <query>')
    .description(summary('lookup'))
    .option('--event <id>', 'only this event')
    .option('--limit <n>', 'at most this many rows', (v) => parsePositiveInt(v, '--limit'), 20)
    .action(async (query: string, options: { event?: string; limit: number }) => {
      await context.withCore(async (core) => {
        const rows = await context.call(core, 'lookup.search', { query, eventId: options.event, limit: options.limit });
        context.print(rows, () =>
          formatTable(rows, ['bib_number', 'first_name', 'last_name', 'gender', 'age', 'city', 'state', 'source_provider', 'event_id']),
        );
      });
    });
}
