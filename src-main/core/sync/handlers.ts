import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { runSync } from './run-sync.ts';
import { recentHistory } from './history.ts';
import { syncRequestSchema, syncSummaryShape } from './schemas.ts';

export const syncHandlers = {
  'sync.run': defineHandler({
    input: syncRequestSchema,
    output: z.object({ runId: z.string(), ...syncSummaryShape }),
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
