import { z } from 'zod';
import type { ProviderDefinition } from '../types.ts';
import type { ChronotrackSecret } from './client.ts';
import { createChronotrackSession } from './session.ts';

/** ChronoTrack Live with an application key and a ChronoTrack Live login (chronotrack.md §2). */
export const chronotrack: ProviderDefinition<ChronotrackSecret> = {
  name: 'chronotrack',
  displayName: 'ChronoTrack',
  defaultBaseUrl: 'https://api.chronotrack.com/api',
  secretFields: [
    { key: 'client_id', label: 'Client ID (application key)', secret: false },
    { key: 'username', label: 'ChronoTrack Live login (e-mail)', secret: false },
    { key: 'password', label: 'Password', secret: true },
  ],
  secretSchema: z.object({
    client_id: z.string().trim().min(1, 'The ChronoTrack client ID is empty.'),
    username: z.string().trim().min(1, 'The ChronoTrack Live login is empty.'),
    password: z.string().min(1, 'The ChronoTrack password is empty.'),
  }),
  tables: {
    // event_id is the whole race day; entry_id is one athlete in one race and stable across
    // bib changes; results carry the entry id because bibs get reassigned.
    events: { table: 'ct_events', key: ['event_id'] },
    participants: { table: 'ct_participants', key: ['entry_id'] },
    results: { table: 'ct_results', key: ['event_id', 'entry_id'] },
  },
  // user_pass is only a SHA-1 of the password, but it logs in as well as the password does.
  secretParams: ['user_pass', 'password'],
  connect: (context) => createChronotrackSession(context),
};
