import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';
import { parsePositiveInt } from './account.ts';
import { parseEventRef } from '../../core/lookup/scope.ts';
import type { EventScope } from '../../core/lookup/scope.ts';

const collectEvent = (value: string, scope: EventScope) => [...scope, parseEventRef(value)];

/** "20 of 96 matches" under a cut list, so nobody takes the first rows for all of them. */
function cutOffNote(shown: number, total: number, totalExact: boolean): string | null {
  if (totalExact && shown >= total) return null;
  return `${shown} of ${totalExact ? total : `more than ${total}`} matches: type more of the name, or raise --limit.`;
}

export function registerLookupCommands(program: Command, context: CliContext): void {
  program
    .command('lookup <query>')
    .description(summary('lookup'))
    .option('--event <id>', 'only this event (repeatable; provider:id, e.g. runsignup:101, or an id at any provider)', collectEvent, [])
    .option('--limit <n>', 'at most this many rows', (v) => parsePositiveInt(v, '--limit'), 20)
    .action(async (query: string, options: { event: EventScope; limit: number }) => {
      await context.withCore(async (core) => {
        const found = await context.call(core, 'lookup.search', { query, scope: options.event, limit: options.limit });
        context.print(found, () => {
          const table = formatTable(found.rows, ['bib_number', 'first_name', 'last_name', 'gender', 'age', 'city', 'state', 'source_provider', 'event_id']);
          const note = cutOffNote(found.rows.length, found.total, found.totalExact);
          return note ? `${table}\n${note}` : table;
        });
      });
    });
}
