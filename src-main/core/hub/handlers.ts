import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { lastPush, pendingChangeCount, refusedRows } from './outbox.ts';
import { pullFromHub, pushToHub, hubAutoPushState } from './auto-push.ts';
import { lastPull } from './pulled-rows.ts';
import { setHub, testHub } from './hub-settings.ts';
import { migrateHub } from './migrate.ts';
import { addPartner } from './partners.ts';

const lastPushSchema = z.object({ at: z.string().nullable(), rowsPushed: z.number(), lastError: z.string().nullable(), lastErrorAt: z.string().nullable() });

export const hubHandlers = {
  'hub.status': defineHandler({
    input: z.object({}),
    output: z.object({
      url: z.string().nullable(),
      pendingChanges: z.number(),
      lastPush: lastPushSchema,
      lastPull: z.object({ at: z.string().nullable(), rowsPulled: z.number(), lastError: z.string().nullable(), lastErrorAt: z.string().nullable() }),
      autoPush: z
        .object({ running: z.boolean(), consecutiveFailures: z.number(), lastError: z.string().nullable(), nextAttemptAt: z.string().nullable() })
        .nullable(),
      /** Rows the hub refused, set aside so the rest could go; each goes again once it changes. */
      refusedRows: z.array(
        z.object({ table: z.string(), key: z.record(z.string(), z.unknown()), reason: z.string(), refusedAt: z.string() }),
      ),
    }),
    run: (_input, core) => ({
      url: core.settings.read().hub?.url ?? null,
      pendingChanges: pendingChangeCount(core.db),
      lastPush: lastPush(core.db),
      lastPull: lastPull(core.db),
      autoPush: hubAutoPushState(core),
      refusedRows: refusedRows(core.db),
    }),
  }),
  'hub.push': defineHandler({
    input: z.object({}),
    output: z.object({ batches: z.number(), rows: z.number(), pending: z.number() }),
    run: async (_input, core) => {
      const summary = await pushToHub(core);
      core.events.emit('data.changed', { area: 'hub' });
      return summary;
    },
  }),
  /** Brings this laptop what other laptops pushed to the partner's hub; progress as 'hub.pullProgress' events. */
  'hub.pull': defineHandler({
    input: z.object({}),
    output: z.object({ batches: z.number(), rows: z.number(), keptLocal: z.number() }),
    run: async (_input, core) => {
      const summary = await pullFromHub(core);
      core.events.emit('data.changed', { area: 'hub' });
      return summary;
    },
  }),
  'hub.test': defineHandler({
    input: z.object({}),
    output: z.object({
      url: z.string(),
      role: z.string(),
      timingPartnerId: z.number().nullable(),
      schemaVersion: z.number(),
      tls: z.string(),
      ready: z.boolean(),
      problem: z.string().nullable(),
    }),
    run: (_input, core) => testHub(core),
  }),
  'hub.set': defineHandler({
    input: z.object({
      url: z.string().min(1),
      password: z.string().min(1).optional(),
      caFile: z.string().min(1).optional(),
      insecure: z.boolean().optional(),
    }),
    output: z.object({ url: z.string(), caFile: z.string().nullable() }),
    run: (input, core) => setHub(core, input),
  }),
  // Admin operations: they take the hub admin's URL (with its password) and never store it.
  'hub.migrate': defineHandler({
    input: z.object({ url: z.string().min(1), password: z.string().min(1).optional(), caFile: z.string().min(1).optional() }),
    output: z.object({ applied: z.array(z.object({ version: z.number(), name: z.string() })), version: z.number() }),
    run: (input) => migrateHub({ url: input.url, password: input.password, caFile: input.caFile }),
  }),
  'hub.addPartner': defineHandler({
    input: z.object({ url: z.string().min(1), password: z.string().min(1).optional(), name: z.string().min(1).max(255), caFile: z.string().min(1).optional() }),
    output: z.object({ timing_partner_id: z.number(), role: z.string(), password: z.string() }),
    run: (input) => addPartner({ url: input.url, password: input.password, caFile: input.caFile }, input.name),
  }),
};
