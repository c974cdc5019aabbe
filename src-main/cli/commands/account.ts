import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable, readLine, readStdin } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { runsignupOAuth } from '../../core/providers/runsignup/assumptions.ts';
import type { ProviderName } from '../../core/providers/types.ts';

export function registerAccountCommands(program: Command, context: CliContext): void {
  const providers = program.command('providers').description(summary('providers'));
  providers
    .command('list', { isDefault: true })
    .description('list the providers, the secret fields each needs, and the requests per hour this computer may send each')
    .action(async () => {
      await context.withCore(async (core) => {
        const list = await context.call(core, 'providers.list', {});
        context.print(list, () =>
          formatTable(
            list.map((p) => ({ ...p, fields: p.secretFields.map((f) => f.key).join(', '), results: p.hasResults ? 'yes' : 'no', 'per hour': p.requestsPerHour })),
            ['name', 'displayName', 'fields', 'results', 'per hour', 'defaultBaseUrl'],
          ),
        );
      });
    });
  providers
    .command('set-limit')
    .description('set how many requests an hour this computer may send a provider, shared by all its syncs; raise it only if the provider agreed to a higher limit')
    .argument('<provider>', 'provider name, e.g. runsignup')
    .argument('<requests-per-hour>', 'a whole number from 1 to 100000000', (v) => parsePositiveInt(v, '<requests-per-hour>'))
    .action(async (provider: string, perHour: number) => {
      await context.withCore(async (core) => {
        const set = await context.call(core, 'providers.setRequestsPerHour', { provider: provider as ProviderName, requestsPerHour: perHour });
        context.print(set, () => `${set.provider} may now get ${set.requestsPerHour} requests an hour from this computer, from the next sync on.`);
      });
    });

  const account = program.command('account').description(summary('account'));
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
    .command('oauth <provider>')
    .description(
      'sign an account in with OAuth 2.0 (runsignup): prints the page to approve RaceDesk on, then reads the code, or the whole address the browser was sent back to, as one line on stdin',
    )
    .requiredOption('--label <label>', 'a name for this account, e.g. "main"')
    .requiredOption('--client-id <id>', 'the OAuth client id of your RunSignUp OAuth client')
    .option('--redirect-uri <uri>', `the redirect URI registered for that client (default ${runsignupOAuth.defaultRedirectUri})`)
    .option('--base-url <url>', 'API base URL (a sandbox or simulator)')
    .action(async (provider: string, options: { label: string; clientId: string; redirectUri?: string; baseUrl?: string }) => {
      if (provider !== 'runsignup') {
        throw new RaceDeskError('invalid_input', `OAuth sign-in is for runsignup only. Add a ${provider} account with: racedesk account add ${provider} --label NAME`);
      }
      const asked = { provider, clientId: options.clientId, redirectUri: options.redirectUri, baseUrl: options.baseUrl } as const;
      // No core (and no database) is held open while the person is in the browser.
      const begun = await context.withCore((core) => context.call(core, 'accounts.oauthBegin', asked));
      process.stderr.write(
        `Open this page in a browser, sign in to RunSignUp and approve RaceDesk:\n\n  ${begun.authorizeUrl}\n\n` +
          `RunSignUp then sends the browser to ${begun.redirectUri}?code=… (that page may not load). ` +
          'Paste that whole address, or the code in it, here and press Enter:\n',
      );
      const pasted = await readLine();
      if (pasted.trim() === '') {
        throw new RaceDeskError('invalid_input', 'Nothing was pasted, so no account was added. Run the command again and paste the address the browser shows after approving RaceDesk.');
      }
      await context.withCore(async (core) => {
        const added = await context.call(core, 'accounts.oauthComplete', {
          ...asked,
          label: options.label,
          redirectUri: begun.redirectUri,
          code: pasted,
          state: begun.state,
          codeVerifier: begun.codeVerifier,
        });
        context.print(added, () => `Signed in: added RunSignUp account "${added.label}"; its refresh token is stored in the OS keychain.`);
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
    .description(summary('partner'))
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
