import type { Command } from 'commander';
import { type CliContext, formatTable, readStdin } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import type { ProviderName } from '../../core/providers/types.ts';

export function registerAccountCommands(program: Command, context: CliContext): void {
  program
    .command('providers')
    .description('list the providers RaceDesk can sync, with the secret fields each needs')
    .action(async () => {
      await context.withCore(async (core) => {
        const providers = await context.call(core, 'providers.list', {});
        context.print(providers, () =>
          formatTable(
            providers.map((p) => ({ ...p, fields: p.secretFields.map((f) => f.key).join(', '), results: p.hasResults ? 'yes' : 'no' })),
            ['name', 'displayName', 'fields', 'results', 'defaultBaseUrl'],
          ),
        );
      });
    });

  const account = program.command('account').description('provider accounts (secrets live in the OS keychain)');
  account
    .command('add <provider>')
    .description('add an account; reads its secret fields as a JSON object on stdin, checks them, stores them')
    .requiredOption('--label <label>', 'a name for this account, e.g. "main"')
    .option('--base-url <url>', 'API base URL (a sandbox or simulator)')
    .action(async (provider: string, options: { label: string; baseUrl?: string }) => {
      const text = (await readStdin()).trim();
      if (text.length === 0) {
        throw new RaceDeskError('invalid_input', 'Pipe the secret fields as JSON on stdin, e.g. echo \'{"api_key":"...","api_secret":"..."}\' | racedesk account add runsignup --label main');
      }
      let secret: unknown;
      try {
        secret = JSON.parse(text);
      } catch {
        throw new RaceDeskError('invalid_input', 'The secret on stdin is not valid JSON.');
      }
      if (typeof secret !== 'object' || secret === null || Array.isArray(secret)) {
        throw new RaceDeskError('invalid_input', 'The secret on stdin must be a JSON object of field names to values.');
      }
      await context.withCore(async (core) => {
        const added = await context.call(core, 'accounts.add', {
          provider: provider as ProviderName,
          label: options.label,
          baseUrl: options.baseUrl,
          secret: secret as Record<string, unknown>,
        });
        context.print(added, () => `Added ${added.provider} account "${added.label}"; credentials checked and stored in the OS keychain.`);
      });
    });
  account
    .command('list')
    .description('list configured accounts')
    .action(async () => {
      await context.withCore(async (core) => {
        const accounts = await context.call(core, 'accounts.list', {});
        context.print(accounts, () => formatTable(accounts, ['provider', 'label', 'baseUrl']));
      });
    });
  account
    .command('remove <provider>')
    .description('remove an account and its keychain entry')
    .requiredOption('--label <label>', 'the account label')
    .action(async (provider: string, options: { label: string }) => {
      await context.withCore(async (core) => {
        const result = await context.call(core, 'accounts.remove', { provider: provider as ProviderName, label: options.label });
        context.print(result, () => `Removed ${provider} account "${options.label}".`);
      });
    });

  program
    .command('partner')
    .description('the timing partner this laptop works for')
    .command('set')
    .requiredOption('--id <n>', 'timing_partner_id', (v) => parsePositiveInt(v, '--id'))
    .requiredOption('--name <name>', 'company name')
    .action(async (options: { id: number; name: string }) => {
      await context.withCore(async (core) => {
        const partner = await context.call(core, 'partner.set', options);
        context.print(partner, () => `This laptop now works for timing partner ${partner.id} (${partner.name}).`);
      });
    });
}

export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new RaceDeskError('invalid_input', `${option} must be a positive whole number, got "${value}".`);
  return n;
}
