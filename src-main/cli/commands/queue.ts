import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import type { ProviderName } from '../../core/providers/types.ts';
import type { JobStatus, SyncJob } from '../../core/sync/job-queue.ts';
import { Scheduler } from '../../core/sync/scheduler.ts';
import { ProgressLine } from '../progress.ts';

function parseId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new RaceDeskError('invalid_input', `"${text}" is not a job id; see \`racedesk queue\`.`);
  return id;
}

function parseMinutes(text: string, what: string): number {
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RaceDeskError('invalid_input', `${what} must be a whole number of minutes, not "${text}".`);
  return minutes;
}

type SyncTypeOption = 'events' | 'participants' | 'results';

function parseSyncType(text: string): SyncTypeOption {
  if (text !== 'events' && text !== 'participants' && text !== 'results') {
    throw new RaceDeskError('invalid_input', `--type must be events, participants or results, not "${text}".`);
  }
  return text;
}

/** "page 2/3, 2000 records" for running jobs, the next try for waiting ones, the error for failed ones. */
function describeJob(job: SyncJob): Record<string, unknown> {
  const progress = job.progress;
  const state =
    job.status === 'running'
      ? `${progress ? `${progress.phase} page ${progress.page}${progress.pageCount ? `/${progress.pageCount}` : ''}, ${progress.records} records` : 'starting'}${job.cancelRequested ? ' (cancelling)' : ''}`
      : job.status === 'pending'
        ? `at ${job.scheduledFor}${job.lastError ? ` — last error: ${job.lastError}` : ''}`
        : (job.lastError ?? `${job.recordsProcessed} records`);
  return {
    id: job.id,
    status: job.status,
    provider: job.provider,
    account: job.account,
    type: job.syncType,
    event: job.eventId ?? 'all',
    priority: job.priority,
    tries: `${job.retryCount}/${job.maxRetries}`,
    state,
  };
}

const jobColumns = ['id', 'status', 'provider', 'account', 'type', 'event', 'priority', 'tries', 'state'];

export function registerQueueCommands(program: Command, context: CliContext): void {
  const queue = program
    .command('queue')
    .description(summary('queue'))
    .option('--all', 'also completed and cancelled jobs')
    .option('--limit <n>', 'at most this many jobs', '200')
    .action(async (options: { all?: boolean; limit: string }) => {
      const statuses: JobStatus[] = options.all
        ? ['running', 'pending', 'failed', 'completed', 'cancelled']
        : ['running', 'pending', 'failed'];
      await context.withCore(async (core) => {
        const result = await context.call(core, 'queue.list', { statuses, limit: Number(options.limit) });
        context.print(result, () =>
          [
            formatTable(result.jobs.map(describeJob), jobColumns),
            ...result.pauses.map((p) => `${p.provider} is unreachable; its jobs wait until ${p.pausedUntil} (${p.reason})`),
          ].join('\n'),
        );
      });
    });

  queue
    .command('add <provider>')
    .description('queue a sync job (it runs in the app, the station server, or `racedesk queue run`)')
    .requiredOption('--account <label>', 'the account label')
    .option('--event <id>', 'one event (or RunSignUp race) id; default: every event of the account')
    .option('--type <type>', 'events, participants or results', 'participants')
    .option('--priority <n>', '1 runs first; default 5', '5')
    .option('--full', 'ignore incremental cursors and re-pull everything')
    .action(async (provider: string, options: { account: string; event?: string; type: string; priority: string; full?: boolean }) => {
      await context.withCore(async (core) => {
        const job = await context.call(core, 'queue.enqueue', {
          provider: provider as ProviderName,
          account: options.account,
          eventId: options.event,
          syncType: parseSyncType(options.type),
          priority: Number(options.priority),
          full: options.full,
        });
        context.print(job, () => `Queued job ${job.id}: ${job.provider} "${job.account}" ${job.syncType} of ${job.eventId ?? 'every event'}.`);
      });
    });

  queue
    .command('retry <id>')
    .description('put a failed or cancelled job back in the queue, with its retries restored')
    .action(async (id: string) => {
      await context.withCore(async (core) => {
        const job = await context.call(core, 'queue.retry', { id: parseId(id) });
        context.print(job, () => `Job ${job.id} is queued again for ${job.scheduledFor}.`);
      });
    });

  queue
    .command('cancel <id>')
    .description('cancel a waiting job, or stop a running one at its next page (pages stored so far are kept)')
    .action(async (id: string) => {
      await context.withCore(async (core) => {
        const job = await context.call(core, 'queue.cancel', { id: parseId(id) });
        context.print(job, () =>
          job.status === 'cancelled' ? `Job ${job.id} cancelled.` : `Job ${job.id} stops after the page it is fetching now.`,
        );
      });
    });

  queue
    .command('run')
    .description('run every job that is due now, then exit')
    .action(async () => {
      await context.withCore(async (core) => {
        const progress = new ProgressLine(process.stderr);
        const unsubscribe = core.events.on('sync.progress', (p) => progress.update(p));
        const scheduler = new Scheduler(core, { worker: `cli:${process.pid}` });
        const stop = () => void scheduler.stop();
        process.once('SIGINT', stop);
        try {
          await scheduler.runUntilIdle();
        } finally {
          process.off('SIGINT', stop);
          unsubscribe();
          progress.done();
        }
        const result = await context.call(core, 'queue.list', { statuses: ['running', 'pending', 'failed'], limit: 200 });
        context.print(result, () => formatTable(result.jobs.map(describeJob), jobColumns));
      });
    });

  queue
    .command('watch <provider>')
    .description('keep an event fresh: sync it every N minutes, more often on race day')
    .requiredOption('--account <label>', 'the account label')
    .requiredOption('--event <id>', 'the event (or RunSignUp race) id')
    .requiredOption('--every <minutes>', 'minutes between syncs')
    .option('--race-day <date>', "the race day, YYYY-MM-DD (default: the event's date)")
    .option('--race-day-every <minutes>', 'minutes between syncs on race day (default 5)')
    .option('--type <type>', 'events, participants or results', 'participants')
    .action(
      async (
        provider: string,
        options: { account: string; event: string; every: string; raceDay?: string; raceDayEvery?: string; type: string },
      ) => {
        await context.withCore(async (core) => {
          const watch = await context.call(core, 'scheduler.watch', {
            provider: provider as ProviderName,
            account: options.account,
            eventId: options.event,
            syncType: parseSyncType(options.type),
            intervalMinutes: parseMinutes(options.every, '--every'),
            raceDay: options.raceDay,
            raceDayIntervalMinutes: options.raceDayEvery === undefined ? undefined : parseMinutes(options.raceDayEvery, '--race-day-every'),
          });
          context.print(watch, () =>
            `Event ${watch.eventId} is synced every ${watch.intervalMinutes} min` +
            (watch.raceDay ? `, every ${watch.raceDayIntervalMinutes} min on race day ${watch.raceDay}` : '') +
            ' while the app or the station server runs.',
          );
        });
      },
    );

  queue
    .command('unwatch <provider>')
    .description('stop keeping an event fresh')
    .requiredOption('--account <label>', 'the account label')
    .requiredOption('--event <id>', 'the event id')
    .option('--type <type>', 'events, participants or results', 'participants')
    .action(async (provider: string, options: { account: string; event: string; type: string }) => {
      await context.withCore(async (core) => {
        const result = await context.call(core, 'scheduler.unwatch', {
          provider: provider as ProviderName,
          account: options.account,
          eventId: options.event,
          syncType: parseSyncType(options.type),
        });
        context.print(result, () => `Event ${options.event} is no longer synced on a schedule.`);
      });
    });

  queue
    .command('watches')
    .description('the events kept fresh, and when each is synced next')
    .action(async () => {
      await context.withCore(async (core) => {
        const watches = await context.call(core, 'scheduler.watches', {});
        context.print(watches, () =>
          formatTable(watches as unknown as Array<Record<string, unknown>>, [
            'provider', 'account', 'eventId', 'syncType', 'intervalMinutes', 'raceDay', 'raceDayIntervalMinutes', 'nextRunAt',
          ]),
        );
      });
    });
}
