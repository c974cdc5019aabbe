import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { providerNames } from '../providers/types.ts';
import { runSync } from './run-sync.ts';
import { recentHistory } from './history.ts';

const outcomeSchema = z.object({
  eventId: z.string(),
  eventName: z.string(),
  kind: z.enum(['participants', 'results']),
  status: z.enum(['success', 'partial', 'failed']),
  records: z.number(),
  deleted: z.number(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
});

export const syncHandlers = {
  'sync.run': defineHandler({
    input: z.object({
      provider: z.enum(providerNames),
      account: z.string().min(1),
      events: z.array(z.string().min(1)).optional(),
      full: z.boolean().optional(),
    }),
    output: z.object({
      runId: z.string(),
      provider: z.string(),
      account: z.string(),
      status: z.enum(['success', 'partial', 'failed', 'cancelled']),
      eventsListed: z.number(),
      outcomes: z.array(outcomeSchema),
    }),
    run: (input, core) => runSync(core, input),
  }),
  'sync.history': defineHandler({
    input: z.object({ limit: z.number().int().min(1).max(1000).default(50) }),
    output: z.array(
      z.object({
        id: z.number(),
        provider_name: z.string(),
        sync_type: z.string(),
        status: z.string(),
        records_processed: z.number(),
        started_at: z.string().nullable(),
        completed_at: z.string().nullable(),
        error_message: z.string().nullable(),
        account_label: z.string().nullable(),
        event_id: z.string().nullable(),
      }),
    ),
    run: (input, core) => recentHistory(core.db, input.limit),
  }),
};
