import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, readStdin } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { ProgressLine } from '../progress.ts';

/**
 * The admin's password: PGPASSWORD, else standard input; never the command line, where every
 * user of the computer sees it (ps).
 */
async function adminPassword(url: string): Promise<string | undefined> {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // clientConfig names a malformed URL.
  }
  if (parsed?.password) {
    throw new RaceDeskError(
      'invalid_input',
      'Leave the password out of --url: the command line is visible to every user of this computer. Give it in PGPASSWORD or on standard input.',
    );
  }
  if (process.env.PGPASSWORD) return process.env.PGPASSWORD;
  return (await readStdin()).replace(/\r?\n$/, '') || undefined;
}

export function registerHubCommands(program: Command, context: CliContext): void {
  const hub = program.command('hub').description(summary('hub'));
  hub
    .command('migrate')
    .description("create or upgrade a hub's schema (run with the hub admin's URL; safe to repeat)")
    .requiredOption('--url <url>', 'admin URL without password, e.g. postgres://admin@hub.example.com:5432/hub (password in PGPASSWORD or on standard input)')
    .option('--ca-file <path>', "the hub's CA certificate (for sslmode=verify-ca / verify-full)")
    .action(async (options: { url: string; caFile?: string }) => {
      const password = await adminPassword(options.url);
      await context.withCore(async (core) => {
        const result = await context.call(core, 'hub.migrate', { url: options.url, password, caFile: options.caFile });
        context.print(result, () =>
          result.applied.length === 0
            ? `The hub is up to date (schema version ${result.version}).`
            : `Applied ${result.applied.map((m) => `${m.version} ${m.name}`).join(', ')}; the hub is at schema version ${result.version}.`,
        );
      });
    });
  hub
    .command('add-partner')
    .description('add a timing partner and a hub login of its own (prints the password once)')
    .requiredOption('--url <url>', "the hub admin's URL without password (password in PGPASSWORD or on standard input)")
    .requiredOption('--name <name>', "the timing partner's company name")
    .option('--ca-file <path>', "the hub's CA certificate")
    .action(async (options: { url: string; name: string; caFile?: string }) => {
      const password = await adminPassword(options.url);
      await context.withCore(async (core) => {
        const partner = await context.call(core, 'hub.addPartner', { url: options.url, password, name: options.name, caFile: options.caFile });
        context.print(partner, () =>
          [
            `Timing partner id: ${partner.timing_partner_id}`,
            `Hub login (role):  ${partner.role}`,
            `Password:          ${partner.password}`,
            'Keep the password safe: it is shown only now. On each laptop run',
            `  racedesk hub set --url postgres://${partner.role}@HOST:PORT/DATABASE   (password on standard input)`,
          ].join('\n'),
        );
      });
    });
  hub
    .command('set')
    .description("set this laptop's hub: URL into settings, password (read from standard input) into the OS keychain")
    .requiredOption('--url <url>', "the partner login's URL, e.g. postgres://racedesk_p1_ab12cd@hub.example.com:5432/hub?sslmode=verify-full")
    .option('--ca-file <path>', "the hub's CA certificate (kept in settings.hub.caFile)")
    .option('--insecure', 'allow sslmode=disable to a hub that is not on this computer (plain text over the network)')
    .action(async (options: { url: string; caFile?: string; insecure?: boolean }) => {
      const password = (await readStdin()).replace(/\r?\n$/, '');
      await context.withCore(async (core) => {
        const saved = await context.call(core, 'hub.set', { url: options.url, password: password || undefined, caFile: options.caFile, insecure: options.insecure });
        context.print(saved, () => `Hub set to ${saved.url}; the password is in the OS keychain. Check it with: racedesk hub test`);
      });
    });
  hub
    .command('test')
    .description('connect to the hub as this laptop pushes, and say whether it is ready')
    .action(async () => {
      await context.withCore(async (core) => {
        const check = await context.call(core, 'hub.test', {});
        context.print(check, () =>
          check.ready
            ? `Hub ${check.url} is ready: login ${check.role} for timing partner ${check.timingPartnerId}, schema version ${check.schemaVersion}.\nTLS: ${check.tls}.`
            : `Hub ${check.url} answered, but: ${check.problem}\nTLS: ${check.tls}.`,
        );
      });
    });
  hub
    .command('pull')
    .description("bring this laptop what the partner's hub holds and it lacks (other laptops' runners, check-ins, results); resumes where a cut pull stopped")
    .action(async () => {
      await context.withCore(async (core) => {
        const progress = new ProgressLine(process.stderr);
        const unsubscribe = core.events.on('hub.pullProgress', (p) => progress.show(`hub pull: ${p.pulled} of ${p.total} rows (${p.table})`));
        try {
          const summary = await context.call(core, 'hub.pull', {});
          progress.done();
          context.print(summary, () =>
            summary.rows === 0
              ? 'Nothing to pull: this laptop has everything the hub holds.'
              : `Pulled ${summary.rows} rows in ${summary.batches} batches${summary.keptLocal > 0 ? `; ${summary.keptLocal} kept this laptop's newer, unpushed version` : ''}.`,
          );
        } finally {
          progress.done();
          unsubscribe();
        }
      });
    });
}
