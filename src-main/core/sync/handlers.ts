import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { runSync } from './run-sync.ts';
import { syncRequestSchema, syncSummaryShape } from './schemas.ts';

export const syncHandlers = {
  'sync.run': defineHandler({
    input: syncRequestSchema,
    output: z.object({ runId: z.string(), ...syncSummaryShape }),
    run: (input, core) => runSync(core, input),
  }),
};
