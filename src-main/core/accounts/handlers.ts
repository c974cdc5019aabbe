import { z } from 'zod';
import { defineHandler } from '../api/contract.ts';
import { providerNames } from '../providers/types.ts';
import { providerAccountSchema } from '../settings/settings.ts';
import { isLoopbackHost } from '../station-access/address.ts';
import { addAccount, checkAccount, removeAccount, setPartner } from './accounts.ts';
import { beginRunSignUpOAuth, completeRunSignUpOAuth } from './oauth.ts';

const accountRef = z.object({ provider: z.enum(providerNames), label: z.string().min(1) });
const accountBaseUrl = z
  .string()
  .url()
  // Credentials and runners' data travel to it: plain http only to this computer (the simulators).
  .refine((url) => new URL(url).protocol === 'https:' || (new URL(url).protocol === 'http:' && isLoopbackHost(new URL(url).hostname)), {
    message: 'must start with https:// (plain http:// only for an address on this computer, such as a simulator)',
  })
  .optional();

export const accountHandlers = {
  'accounts.list': defineHandler({
    input: z.object({}),
    output: z.array(providerAccountSchema),
    run: (_input, core) => core.settings.read().accounts,
  }),
  'accounts.add': defineHandler({
    input: accountRef.extend({
      label: z.string().min(1).max(100),
      baseUrl: accountBaseUrl,
      secret: z.record(z.string(), z.unknown()),
    }),
    output: providerAccountSchema,
    run: (input, core) => addAccount(core, input),
  }),
  /** RunSignUp OAuth sign-in, step 1: the page to approve RaceDesk on, and the PKCE verifier to keep. */
  'accounts.oauthBegin': defineHandler({
    input: z.object({ provider: z.literal('runsignup'), clientId: z.string().trim().min(1), redirectUri: z.string().url().optional(), baseUrl: accountBaseUrl }),
    /** redirectUri: the one asked for (or the default), to give back to accounts.oauthComplete. */
    output: z.object({ authorizeUrl: z.string(), redirectUri: z.string(), codeVerifier: z.string(), state: z.string() }),
    run: (input) => beginRunSignUpOAuth(input),
  }),
  /** Step 2: the code the redirect brought, redeemed; the account is added with its refresh token. */
  'accounts.oauthComplete': defineHandler({
    input: z.object({
      provider: z.literal('runsignup'),
      label: z.string().min(1).max(100),
      clientId: z.string().trim().min(1),
      redirectUri: z.string().url().optional(),
      /** The code, or the whole address the browser was sent back to (then checked against state). */
      code: z.string().min(1).max(4000),
      /** The state accounts.oauthBegin gave. */
      state: z.string().min(1).optional(),
      codeVerifier: z.string().min(43).max(128),
      baseUrl: accountBaseUrl,
    }),
    output: providerAccountSchema,
    run: (input, core) => completeRunSignUpOAuth(core, input),
  }),
  'accounts.remove': defineHandler({
    input: accountRef,
    output: z.object({ removed: z.literal(true) }),
    run: async (input, core) => {
      await removeAccount(core, input.provider, input.label);
      return { removed: true as const };
    },
  }),
  'accounts.check': defineHandler({
    input: accountRef,
    output: z.object({ ok: z.literal(true) }),
    run: async (input, core) => {
      await checkAccount(core, input.provider, input.label);
      return { ok: true as const };
    },
  }),
  'partner.get': defineHandler({
    input: z.object({}),
    output: z.object({ id: z.number(), name: z.string() }).nullable(),
    run: (_input, core) => core.settings.read().partner,
  }),
  'partner.set': defineHandler({
    input: z.object({ id: z.number().int().positive(), name: z.string().trim().min(1) }),
    output: z.object({ id: z.number(), name: z.string() }),
    run: (input, core) => {
      setPartner(core, input);
      return input;
    },
  }),
};
