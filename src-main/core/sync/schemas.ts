import { z } from 'zod';
import { providerNames } from '../providers/types.ts';

/** A sync asked for by a person: one account, all its events or some, incremental unless `full`. */
export const syncRequestSchema = z.object({
  provider: z.enum(providerNames),
  account: z.string().min(1),
  events: z.array(z.string().min(1)).optional(),
  full: z.boolean().optional(),
});

/** How one event's participants or results fared in a sync run. */
export const syncOutcomeSchema = z.object({
  eventId: z.string(),
  eventName: z.string(),
  kind: z.enum(['participants', 'results']),
  status: z.enum(['success', 'partial', 'failed']),
  records: z.number(),
  unchanged: z.number(),
  deleted: z.number(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
});

/** What a sync run reports, whether it ran directly (sync.run) or through the queue (queue.sync). */
export const syncSummaryShape = {
  provider: z.string(),
  account: z.string(),
  status: z.enum(['success', 'partial', 'failed', 'cancelled']),
  eventsListed: z.number(),
  outcomes: z.array(syncOutcomeSchema),
};
