import { z } from 'zod';
import type { ProviderDefinition } from '../types.ts';
import type { RaceRosterSecret } from './client.ts';
import { connectRaceRoster } from './session.ts';

const required = (label: string) => z.string().trim().min(1, `${label} is required`);

export const raceroster: ProviderDefinition<RaceRosterSecret> = {
  name: 'raceroster',
  displayName: 'Race Roster',
  defaultBaseUrl: 'https://raceroster.com/api/v1',
  secretFields: [
    { key: 'client_id', label: 'API client ID', secret: false },
    { key: 'client_secret', label: 'API client secret', secret: true },
    { key: 'username', label: 'Race Roster e-mail', secret: false },
    { key: 'password', label: 'Race Roster password', secret: true },
  ],
  secretSchema: z.object({
    client_id: required('client_id'),
    client_secret: required('client_secret'),
    username: required('username'),
    password: required('password'),
  }),
  tables: {
    // One row per sub-event (distance): Race Roster's event is the race day, its sub-events are timed.
    events: { table: 'raceroster_events', key: ['event_id', 'race_id'] },
    participants: { table: 'raceroster_participants', key: ['registration_id'] },
  },
  // Everything here travels in the token request's form body, never in a query string; listed
  // so a misconfigured URL carrying one is still masked in messages.
  secretParams: ['client_id', 'client_secret', 'username', 'password', 'refresh_token', 'access_token'],
  connect: (context) => connectRaceRoster(context),
};
