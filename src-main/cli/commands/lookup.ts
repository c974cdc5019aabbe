import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';
import { parsePositiveInt } from './account.ts';
import { parseEventRef } from '../../core/lookup/scope.ts';
import type { EventScope } from '../../core/lookup/scope.ts';
import { RaceDeskError } from '../../core/errors.ts';

const collectEvent = (value: string, scope: EventScope) => [...scope, parseEventRef(value)];

/** "20 of 96 matches" under a cut list, so nobody takes the first rows for all of them. */
function cutOffNote(shown: number, total: number, totalExact: boolean): string | null {
  if (totalExact && shown >= total) return null;
  return `${shown} of ${totalExact ? total : `more than ${total}`} matches: type more of the name, or raise --limit.`;
}

/** A station's scope names the provider of every event (its picker does); a bare id is refused here. */
function stationEvents(scope: EventScope): Array<{ provider: NonNullable<EventScope[number]['provider']>; eventId: string }> {
  return scope.map((event) => {
    if (!event.provider) throw new RaceDeskError('invalid_input', `--event ${event.eventId}: name the provider too, e.g. runsignup:${event.eventId}.`);
    return { provider: event.provider, eventId: event.eventId };
  });
}

export function registerLookupCommands(program: Command, context: CliContext): void {
  program
    .command('scope')
    .description(summary('scope') + '; joined devices follow it until they pick their own')
    .option('--event <provider:id>', 'serve this event (repeatable); replaces the current scope', collectEvent, [])
    .option('--all', 'serve every event again')
    .action(async (options: { event: EventScope; all?: boolean }) => {
      await context.withCore(async (core) => {
        const scope =
          options.all || options.event.length > 0
            ? await context.call(core, 'lookup.setStationScope', { scope: options.all ? [] : stationEvents(options.event) })
            : await context.call(core, 'lookup.stationScope', {});
        context.print(scope, () => (scope.length ? scope.map((e) => `${e.provider}:${e.eventId}`).join('\n') : 'every event'));
      });
    });

  program
    .command('lookup <query>')
    .description(summary('lookup'))
    .option('--event <id>', 'only this event (repeatable; provider:id, e.g. runsignup:101, or an id at any provider)', collectEvent, [])
    .option('--limit <n>', 'at most this many rows', (v) => parsePositiveInt(v, '--limit'), 20)
    .action(async (query: string, options: { event: EventScope; limit: number }) => {
      await context.withCore(async (core) => {
        const found = await context.call(core, 'lookup.search', { query, scope: options.event, limit: options.limit });
        const removed = await context.call(core, 'lookup.removed', { query, scope: options.event });
        context.print(removed.length > 0 ? { ...found, removed } : found, () => {
          const table = formatTable(found.rows, ['bib_number', 'first_name', 'last_name', 'gender', 'age', 'city', 'state', 'source_provider', 'event_id']);
          const note = cutOffNote(found.rows.length, found.total, found.totalExact);
          const gone = removed.map((r) => `${[r.first_name, r.last_name].filter(Boolean).join(' ') || '?'} (${r.source_provider} registration ${r.participant_id}${r.bib_number ? `, bib ${r.bib_number}` : ''}): ${r.note}`);
          return [table, note, ...gone].filter(Boolean).join('\n');
        });
      });
    });
}
