import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { lookupParticipants } from './lookup.ts';
import { unifiedParticipantSchema } from './schemas.ts';

export const lookupHandlers = {
  'lookup.search': defineHandler({
    input: z.object({
      query: z.string().max(200),
      eventId: z.string().min(1).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: z.array(unifiedParticipantSchema),
    run: (input, core) => lookupParticipants(core.db, input),
  }),
};
