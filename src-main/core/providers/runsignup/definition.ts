import { z } from 'zod';
import type { ProviderDefinition } from '../types.ts';
import type { RunSignUpKey } from './client.ts';
import { createRunSignUpSession, type RunSignUpSessionOptions } from './session.ts';

/** RunSignUp with a partner (timer) API key and secret, runsignup.md §2a. */
export function defineRunSignUp(options: RunSignUpSessionOptions = {}): ProviderDefinition<RunSignUpKey> {
  return {
    name: 'runsignup',
    displayName: 'RunSignUp',
    defaultBaseUrl: 'https://runsignup.com/Rest',
    secretFields: [
      { key: 'api_key', label: 'API key', secret: false },
      { key: 'api_secret', label: 'API secret', secret: true },
    ],
    secretSchema: z.object({
      api_key: z.string().trim().min(1, 'The RunSignUp API key is empty.'),
      api_secret: z.string().trim().min(1, 'The RunSignUp API secret is empty.'),
    }),
    tables: {
      // RunSignUp event ids (distances) are global across races; registrations are global too.
      events: { table: 'runsignup_events', key: ['event_id'] },
      participants: { table: 'runsignup_participants', key: ['registration_id'] },
      removals: { table: 'runsignup_removed_registrations', key: ['registration_id'] },
    },
    // tmp_key/tmp_secret are the e-mail login's temporary keys (§2b), redacted in case they are ever used.
    secretParams: ['api_key', 'api_secret', 'tmp_key', 'tmp_secret'],
    connect: (context) => createRunSignUpSession(context, options),
  };
}

export const runsignup = defineRunSignUp();
