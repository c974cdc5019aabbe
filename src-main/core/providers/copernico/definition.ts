import { z } from 'zod';
import type { ProviderDefinition } from '../types.ts';
import type { CopernicoSecret } from './client.ts';
import { createCopernicoSession } from './session.ts';

/** A field left empty in the form counts as not given. */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** Copernico (timingsense) with a per-environment API key (copernico.md §2). */
export const copernico: ProviderDefinition<CopernicoSecret> = {
  name: 'copernico',
  displayName: 'Copernico',
  // The private API lives under /api/races on this host; the demo host is demo-api.copernico.cloud.
  defaultBaseUrl: 'https://api.copernico.cloud',
  // A published results preset (its owner's login e-mail and its name) gives the results in one
  // call per event (client.ts); without one they take one call per athlete.
  secretFields: [
    { key: 'api_key', label: 'API key', secret: true },
    { key: 'preset_login', label: 'Results preset owner (login e-mail)', secret: false, optional: true },
    { key: 'preset_name', label: 'Results preset name', secret: false, optional: true },
  ],
  secretSchema: z
    .object({
      api_key: z.string().trim().min(1, 'The Copernico API key is empty.'),
      preset_login: optionalText,
      preset_name: optionalText,
    })
    .refine((secret) => (secret.preset_login === undefined) === (secret.preset_name === undefined), {
      message: 'Give both preset_login (the Copernico login e-mail that owns the preset) and preset_name, or neither.',
      path: ['preset_name'],
    }),
  tables: {
    // One events row per (race, event), id "{raceId}:{eventName}"; athlete ids are per race, so
    // participants and results key on the event too.
    // Copernico sends no modification time: the mapping stamps updated_at with the fetch.
    events: { table: 'copernico_events', key: ['event_id'], fetchStamps: ['updated_at'] },
    participants: { table: 'copernico_participants', key: ['event_id', 'participant_id'], fetchStamps: ['updated_at'] },
    results: { table: 'copernico_results', key: ['event_id', 'participant_id'], fetchStamps: ['updated_at'] },
  },
  // The key travels in a header, never in a URL; listed in case a proxy setup puts it in the query.
  secretParams: ['api_key', 'x-api-key'],
  connect: (context) => createCopernicoSession(context),
};
