import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { lookupParticipants } from './lookup.ts';

export const unifiedParticipantSchema = z
  .object({
    source_provider: z.string(),
    timing_partner_id: z.number().nullable(),
    event_id: z.string(),
    participant_id: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    gender: z.string().nullable(),
    bib_number: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    age: z.number().nullable(),
    date_of_birth: z.string().nullable(),
    team_name: z.string().nullable(),
    registration_date: z.string().nullable(),
    fetched_date: z.string().nullable(),
    credentials_used: z.string().nullable(),
    source_rowid: z.number(),
  })
  .passthrough();

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
