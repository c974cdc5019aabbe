import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { readStatus } from './status.ts';

export const statusHandlers = {
  'status.get': defineHandler({
    input: z.object({}),
    output: z.object({
      dataDir: z.string(),
      settingsFile: z.string(),
      partner: z.object({ id: z.number(), name: z.string() }).nullable(),
      events: z.array(
        z.object({ source_provider: z.string(), event_id: z.string(), event_name: z.string().nullable(), participants: z.number() }),
      ),
      accounts: z.array(
        z.object({ provider: z.string(), label: z.string(), lastSyncAt: z.string().nullable(), lastSyncStatus: z.string().nullable() }),
      ),
      hub: z.object({
        url: z.string().nullable(),
        pendingChanges: z.number(),
        lastPush: z.object({ at: z.string().nullable(), rowsPushed: z.number(), lastError: z.string().nullable(), lastErrorAt: z.string().nullable() }),
      }),
    }),
    run: (_input, core) => readStatus(core),
  }),
};
