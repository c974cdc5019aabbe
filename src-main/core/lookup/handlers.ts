import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { lookupParticipants } from './lookup.ts';
import { lookupRemoved, removedRegistrationSchema } from './removed.ts';
import { unifiedParticipantSchema } from './schemas.ts';
import { eventScopeSchema, stationScopeSchema } from './scope.ts';
import { updateSettings } from '../settings/settings.ts';

export const lookupHandlers = {
  'lookup.search': defineHandler({
    input: z.object({
      query: z.string().max(200),
      scope: eventScopeSchema.optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: z.object({
      rows: z.array(unifiedParticipantSchema),
      /** Matches in all, counted up to lookupCountLimit; totalExact false means "more than total". */
      total: z.number().int().min(0),
      totalExact: z.boolean(),
    }),
    run: (input, core) => lookupParticipants(core.db, input),
  }),
  /** Registrations the provider removed whose old registrant matches: where a transfer went. */
  'lookup.removed': defineHandler({
    input: z.object({ query: z.string().max(200), scope: eventScopeSchema.optional() }),
    output: z.array(removedRegistrationSchema),
    run: (input, core) => lookupRemoved(core.db, input),
  }),
  /** The station laptop's own scope: its window uses it, and a joined device until it picks its own. */
  'lookup.stationScope': defineHandler({
    input: z.object({}),
    output: stationScopeSchema,
    run: (_input, core) => core.settings.read().pickupScope,
  }),
  'lookup.setStationScope': defineHandler({
    input: z.object({ scope: stationScopeSchema }),
    output: stationScopeSchema,
    run: (input, core) => updateSettings(core.settings, (current) => ({ ...current, pickupScope: input.scope })).pickupScope,
  }),
};
