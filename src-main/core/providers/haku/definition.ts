import { z } from 'zod';
import type { ProviderDefinition } from '../types.ts';
import type { HakuSecret } from './client.ts';
import { connectHaku } from './session.ts';

const required = (label: string) => z.string().trim().min(1, `${label} is required`);

export const haku: ProviderDefinition<HakuSecret> = {
  name: 'haku',
  displayName: 'Haku',
  // No version prefix: the integrator's later, spec-checked adapter dropped the early "/v1".
  defaultBaseUrl: 'https://api.hakuapp.com',
  secretFields: [
    { key: 'client_id', label: 'API client ID', secret: false },
    { key: 'client_secret', label: 'API client secret', secret: true },
  ],
  secretSchema: z.object({ client_id: required('client_id'), client_secret: required('client_secret') }),
  tables: {
    events: { table: 'haku_events', key: ['event_id'] },
    // Registration numbers repeat across events (migration 0082).
    participants: { table: 'haku_participants', key: ['event_id', 'participant_id'] },
  },
  // Both travel in the token request's Basic header; listed so a URL carrying one is still masked.
  secretParams: ['client_id', 'client_secret', 'access_token'],
  connect: (context) => connectHaku(context),
};
