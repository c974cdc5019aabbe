import { z } from 'zod';

/*
 * Rows of the unified_participants view as the API returns them. The columns come in two groups
 * so that a row which adds its own (the venue's registered_bib beside bib_number) keeps them where
 * a person expects them: key order is the column order of tables and CSV exports.
 */

/** Who the runner is, for which event, and the bib they run with. */
export const participantIdentityColumns = {
  source_provider: z.string(),
  event_id: z.string(),
  participant_id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  gender: z.string().nullable(),
  bib_number: z.string().nullable(),
};

/** Where they come from, their age and team, and when they registered. */
export const participantDetailColumns = {
  city: z.string().nullable(),
  state: z.string().nullable(),
  age: z.number().nullable(),
  date_of_birth: z.string().nullable(),
  team_name: z.string().nullable(),
  registration_date: z.string().nullable(),
};

/**
 * A whole unified_participants row, provenance and the venue state (migration 0050) included.
 * Every column is named rather than passed through: zod checks a closed object several times
 * faster, and a lookup validates up to 500 of them.
 */
export const unifiedParticipantSchema = z.object({
  ...participantIdentityColumns,
  ...participantDetailColumns,
  timing_partner_id: z.number().nullable(),
  fetched_date: z.string().nullable(),
  credentials_used: z.string().nullable(),
  source_rowid: z.number(),
  /** The bib the provider gave (bib_number differs when the crew reassigned it at the venue). */
  registered_bib: z.string().nullable(),
  /** 0/1 from the station's SQLite; true/false in a device's copy (src-renderer/src/offline/copy-lookup.ts). */
  is_walk_up: z.union([z.number(), z.boolean()]),
  checked_in: z.union([z.number(), z.boolean()]),
  checked_in_at: z.string().nullable(),
  checked_in_by: z.string().nullable(),
});
