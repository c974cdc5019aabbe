import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { listProviders } from './registry.ts';
import { allowanceRange, maxRequestsPerHour, requestAllowances, setRequestsPerHour } from './request-allowance.ts';
import { providerNames } from './types.ts';

const mustBe = `must be ${allowanceRange}`;
const newRequestsPerHour = z.number(mustBe).int(mustBe).min(1, mustBe).max(maxRequestsPerHour, mustBe);
// Looser than what may be set: a row edited by hand before this setting existed must not break the list.
const storedRequestsPerHour = z.number().int().positive();

export const providerHandlers = {
  'providers.list': defineHandler({
    input: z.object({}),
    output: z.array(
      z.object({
        name: z.string(),
        displayName: z.string(),
        defaultBaseUrl: z.string(),
        hasResults: z.boolean(),
        secretFields: z.array(z.object({ key: z.string(), label: z.string(), secret: z.boolean(), optional: z.boolean().optional() })),
        requestsPerHour: storedRequestsPerHour,
      }),
    ),
    run: (_input, core) => {
      const allowances = requestAllowances(core.db);
      return listProviders().map((p) => ({
        name: p.name,
        displayName: p.displayName,
        defaultBaseUrl: p.defaultBaseUrl,
        hasResults: Boolean(p.tables.results),
        secretFields: p.secretFields.map((f) => ({ ...f })),
        requestsPerHour: allowances[p.name],
      }));
    },
  }),
  'providers.setRequestsPerHour': defineHandler({
    input: z.object({ provider: z.enum(providerNames), requestsPerHour: newRequestsPerHour }),
    output: z.object({ provider: z.enum(providerNames), requestsPerHour: storedRequestsPerHour }),
    run: (input, core) => setRequestsPerHour(core.db, input.provider, input.requestsPerHour),
  }),
};
