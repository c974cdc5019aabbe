import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { providerNames } from '../providers/types.ts';
import { findAccount } from '../accounts/accounts.ts';
import { enqueueJob, getJob, jobStatuses, listJobs, requestCancel, retryJob } from './job-queue.ts';
import { activePauses } from './provider-pauses.ts';
import { listWatches, unwatchEvent, watchEvent } from './watches.ts';
import { historyRows, syncedEventName } from './history-rows.ts';
import { historyStatuses } from './history.ts';
import { syncThroughQueue } from './sync-through-queue.ts';
import { syncRequestSchema, syncSummaryShape } from './schemas.ts';

const syncType = z.enum(['events', 'participants', 'results']);
const jobId = z.object({ id: z.number().int().positive() });

const progressSchema = z.object({
  phase: z.string(),
  eventId: z.string().nullable(),
  eventName: z.string().nullable(),
  page: z.number(),
  pageCount: z.number().nullable(),
  records: z.number(),
});

const jobSchema = z.object({
  id: z.number(),
  provider: z.string(),
  account: z.string(),
  syncType,
  eventId: z.string().nullable(),
  full: z.boolean(),
  priority: z.number(),
  status: z.enum(jobStatuses),
  scheduledFor: z.string(),
  retryCount: z.number(),
  maxRetries: z.number(),
  claimedBy: z.string().nullable(),
  leaseUntil: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  cancelRequested: z.boolean(),
  recordsProcessed: z.number(),
  progress: progressSchema.nullable(),
  createdAt: z.string(),
});

const watchSchema = z.object({
  provider: z.string(),
  account: z.string(),
  eventId: z.string(),
  syncType,
  intervalMinutes: z.number(),
  raceDay: z.string().nullable(),
  raceDayIntervalMinutes: z.number().nullable(),
  priority: z.number(),
  nextRunAt: z.string(),
});

const watchKey = {
  provider: z.enum(providerNames),
  account: z.string().min(1),
  eventId: z.string().min(1),
  syncType: syncType.optional(),
};

/*
 * The sync queue as the UI, the station server and the CLI see it. Progress of running jobs
 * streams as 'sync.progress' events whose runId is "job-<id>"; queue changes as 'data.changed'
 * with area 'sync-queue'.
 */
export const queueHandlers = {
  'queue.list': defineHandler({
    input: z.object({
      statuses: z.array(z.enum(jobStatuses)).min(1).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: z.object({
      jobs: z.array(jobSchema.extend({ eventName: z.string().nullable() })),
      pauses: z.array(z.object({ provider: z.string(), pausedUntil: z.string(), reason: z.string(), failures: z.number() })),
    }),
    run: (input, core) => ({
      jobs: listJobs(core.db, input).map((job) => ({ ...job, eventName: syncedEventName(core.db, job.provider, job.eventId) })),
      pauses: activePauses(core.db, Date.now()),
    }),
  }),
  /** A sync asked for now: queued at the top priority and run by the calling process. */
  'queue.sync': defineHandler({
    input: syncRequestSchema,
    output: z.object({ ...syncSummaryShape, jobs: z.array(jobSchema) }),
    run: (input, core) => syncThroughQueue(core, input),
  }),
  'queue.get': defineHandler({
    input: jobId,
    output: jobSchema,
    run: (input, core) => getJob(core.db, input.id),
  }),
  'queue.enqueue': defineHandler({
    input: z.object({
      provider: z.enum(providerNames),
      account: z.string().min(1),
      syncType: syncType.default('participants'),
      /** An event (or RunSignUp race) id; omitted = every event of the account. */
      eventId: z.string().min(1).optional(),
      full: z.boolean().optional(),
      /** 1 runs first; the seed's default is 5. */
      priority: z.number().int().min(0).max(9).default(5),
      maxRetries: z.number().int().min(0).max(20).default(3),
    }),
    output: jobSchema,
    run: (input, core) => {
      findAccount(core, input.provider, input.account);
      return enqueueJob(core.db, { ...input, timingPartnerId: core.settings.read().partner?.id ?? null }, Date.now());
    },
  }),
  'queue.retry': defineHandler({
    input: jobId,
    output: jobSchema,
    run: (input, core) => {
      const job = retryJob(core.db, input.id, Date.now());
      core.events.emit('data.changed', { area: 'sync-queue' });
      return job;
    },
  }),
  'queue.cancel': defineHandler({
    input: jobId,
    output: jobSchema,
    run: (input, core) => {
      const job = requestCancel(core.db, input.id, Date.now());
      core.events.emit('data.changed', { area: 'sync-queue' });
      return job;
    },
  }),
  'history.list': defineHandler({
    input: z.object({
      limit: z.number().int().min(1).max(1000).default(50),
      jobId: z.number().int().positive().optional(),
    }),
    output: z.array(
      z.object({
        id: z.number(),
        jobId: z.number().nullable(),
        provider: z.string(),
        account: z.string().nullable(),
        eventId: z.string().nullable(),
        eventName: z.string().nullable(),
        syncType: z.string(),
        status: z.enum(historyStatuses),
        records: z.number(),
        unchanged: z.number(),
        startedAt: z.string().nullable(),
        completedAt: z.string().nullable(),
        error: z.string().nullable(),
        problemCount: z.number(),
        problems: z.array(
          z.object({ recordId: z.string().nullable(), field: z.string(), rawValue: z.string().nullable(), problem: z.string(), skipped: z.boolean() }),
        ),
      }),
    ),
    run: (input, core) => historyRows(core.db, input),
  }),
  'scheduler.watch': defineHandler({
    input: z.object({
      ...watchKey,
      intervalMinutes: z.number().int().min(1).max(7 * 24 * 60),
      /** The race day, YYYY-MM-DD; default: the event's date in the local store. */
      raceDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-06-14.').optional(),
      raceDayIntervalMinutes: z.number().int().min(1).max(24 * 60).optional(),
      priority: z.number().int().min(0).max(9).optional(),
    }),
    output: watchSchema,
    run: (input, core) => {
      findAccount(core, input.provider, input.account);
      return watchEvent(core.db, input, Date.now());
    },
  }),
  'scheduler.unwatch': defineHandler({
    input: z.object(watchKey),
    output: z.object({ ok: z.literal(true) }),
    run: (input, core) => {
      unwatchEvent(core.db, input);
      return { ok: true as const };
    },
  }),
  'scheduler.watches': defineHandler({
    input: z.object({}),
    output: z.array(watchSchema),
    run: (_input, core) => listWatches(core.db),
  }),
};
