import type { ProviderDefinition } from '../types.ts';
import { runSignUpSecretSchema, type RunSignUpSecret } from './auth.ts';
import { createRunSignUpSession, type RunSignUpSessionOptions } from './session.ts';

/**
 * RunSignUp with a partner (timer) API key and secret (the fields Settings shows), a "v2" key
 * (rsu_api_key, rsu_api_secret) or an OAuth sign-in (oauth_client_id, refresh_token, from the
 * accounts.oauthBegin / accounts.oauthComplete handlers); auth.ts.
 */
export function defineRunSignUp(options: RunSignUpSessionOptions = {}): ProviderDefinition<RunSignUpSecret> {
  return {
    name: 'runsignup',
    displayName: 'RunSignUp',
    defaultBaseUrl: 'https://runsignup.com/Rest',
    secretFields: [
      { key: 'api_key', label: 'API key', secret: false },
      { key: 'api_secret', label: 'API secret', secret: true },
    ],
    secretSchema: runSignUpSecretSchema,
    tables: {
      // RunSignUp event ids (distances) are global across races; registrations are global too.
      events: { table: 'runsignup_events', key: ['event_id'] },
      participants: { table: 'runsignup_participants', key: ['registration_id'] },
      removals: { table: 'runsignup_removed_registrations', key: ['registration_id'] },
    },
    // tmp_key/tmp_secret are the e-mail login's temporary keys (§2b), redacted in case they are ever used.
    secretParams: ['api_key', 'api_secret', 'tmp_key', 'tmp_secret', 'rsu_api_key', 'x-rsu-api-secret', 'refresh_token', 'code', 'code_verifier'],
    connect: (context) => createRunSignUpSession(context, options),
  };
}

export const runsignup = defineRunSignUp();
