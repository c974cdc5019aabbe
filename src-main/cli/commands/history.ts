import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';

export function registerHistoryCommands(program: Command, context: CliContext): void {
  program
    .command('history')
    .description(summary('history'))
    .option('--limit <n>', 'at most this many rows', '50')
    .option('--job <id>', 'only the runs of this queue job')
    .action(async (options: { limit: string; job?: string }) => {
      const limit = Number(options.limit);
      const jobId = options.job === undefined ? undefined : Number(options.job);
      if (!Number.isInteger(limit) || limit <= 0) throw new RaceDeskError('invalid_input', `--limit must be a positive number, not "${options.limit}".`);
      if (jobId !== undefined && (!Number.isInteger(jobId) || jobId <= 0)) {
        throw new RaceDeskError('invalid_input', `--job must be a job id, not "${options.job}".`);
      }
      await context.withCore(async (core) => {
        const rows = await context.call(core, 'history.list', { limit, jobId });
        context.print(rows, () =>
          formatTable(
            rows.map((r) => ({ ...r, event: r.eventId ?? '', job: r.jobId ?? '', error: r.error ?? '' })),
            ['id', 'job', 'provider', 'account', 'syncType', 'event', 'status', 'records', 'unchanged', 'startedAt', 'completedAt', 'error'],
          ),
        );
      });
    });
}
