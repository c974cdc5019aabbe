import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';

export function registerStatusCommands(program: Command, context: CliContext): void {
  program
    .command('status')
    .description(summary('status'))
    .action(async () => {
      await context.withCore(async (core) => {
        const status = await context.call(core, 'status.get', {});
        context.print(status, () =>
          [
            `Data folder: ${status.dataDir}`,
            `Timing partner: ${status.partner ? `${status.partner.id} (${status.partner.name})` : 'not set (racedesk partner set --id N --name NAME)'}`,
            '',
            'Participants per event:',
            formatTable(status.events, ['source_provider', 'event_id', 'event_name', 'participants']),
            '',
            'Accounts:',
            formatTable(status.accounts, ['provider', 'label', 'lastSyncAt', 'lastSyncStatus']),
            '',
            `Hub: ${status.hub.url ?? 'not set (racedesk hub set --url URL)'}`,
            `Pending changes for the hub: ${status.hub.pendingChanges}`,
            `Last push: ${status.hub.lastPush.at ?? 'never'}${status.hub.lastPush.lastError ? ` (last error: ${status.hub.lastPush.lastError})` : ''}`,
          ].join('\n'),
        );
      });
    });
}
