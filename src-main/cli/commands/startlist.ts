import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import type { CliContext } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';

export function registerStartListCommands(program: Command, context: CliContext): void {
  const startlist = program.command('startlist').description(summary('startlist'));
  startlist
    .command('export')
    .description('write the start list: --format lynx (lynx.ppl and lynx.evt) or csv (start-list.csv)')
    .requiredOption('--event <id>', "the provider's event id")
    .option('--provider <name>', 'the provider, when two share the event id')
    .requiredOption('--format <format>', 'lynx or csv')
    .requiredOption('--out <dir>', 'the folder to write into (created if missing)')
    .action(async (options: { event: string; provider?: string; format: string; out: string }) => {
      if (options.format !== 'lynx' && options.format !== 'csv') {
        throw new RaceDeskError('invalid_input', `--format must be lynx or csv, got "${options.format}".`);
      }
      await context.withCore(async (core) => {
        const exported = await context.call(core, 'startlist.export', { event: options.event, provider: options.provider, format: options.format as 'lynx' | 'csv' });
        mkdirSync(options.out, { recursive: true });
        const written = exported.files.map((file) => {
          writeFileSync(join(options.out, file.name), file.content);
          return join(options.out, file.name);
        });
        context.print({ competitors: exported.competitors, files: written }, () => `Wrote ${exported.competitors} competitors to ${written.join(' and ')}.`);
      });
    });
}
