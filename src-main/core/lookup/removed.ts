import { z } from 'zod';
import type { Db } from '../store/database.ts';
import { foldForSearch } from '../store/sql-fold.ts';
import { preparedFor } from '../store/statements.ts';
import { inScope, scopeParameter, type EventScope } from './scope.ts';

/*
 * Registrations the provider removed (RunSignUp's removed-participants, store migrations 0121 and
 * 0195), found by the name, bib or e-mail the old registrant gives at the table: the registration is gone from
 * the pickup list, and this says where it went ("transferred to registration 61238855 (Jane Roe,
 * bib 1204)") or why it left.
 */
export const removedRegistrationSchema = z.object({
  source_provider: z.string(),
  event_id: z.string(),
  participant_id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  bib_number: z.string().nullable(),
  removed_reason: z.string().nullable(),
  removed_at: z.string().nullable(),
  new_participant_id: z.string().nullable(),
  /** "transferred to registration 61238855 (Jane Roe, bib 1204)", "removed: cleared". */
  note: z.string(),
});
export type RemovedRegistration = z.infer<typeof removedRegistrationSchema>;

interface RemovedRow extends Omit<RemovedRegistration, 'note'> {
  new_first_name: string | null;
  new_last_name: string | null;
  new_bib: string | null;
}

/** At most this many removed registrations per lookup: a name typed at the table, not a report. */
const removedLimit = 20;

export function lookupRemoved(db: Db, input: { query: string; scope?: EventScope }): RemovedRegistration[] {
  const raw = input.query.trim();
  const words = raw.split(/\s+/).map((word) => foldForSearch(word)).filter((word): word is string => word !== null);
  if (words.length === 0) return [];
  const statement = preparedFor(db, `lookup removed ${words.length}`, () => {
    // Every typed word starts a part of the name, as in the pickup lookup (sql-fold.ts nameKey).
    const name = words.map((_, index) => `instr(rd_name_key(r.first_name, r.last_name), ' ' || @w${index}) > 0`).join(' AND ');
    return `SELECT 'runsignup' AS source_provider, CAST(r.event_id AS TEXT) AS event_id, CAST(r.registration_id AS TEXT) AS participant_id,
                   r.first_name, r.last_name, r.bib_num AS bib_number, r.removed_reason, r.removed_at,
                   CAST(r.new_registration_id AS TEXT) AS new_participant_id,
                   n.first_name AS new_first_name, n.last_name AS new_last_name, n.bib_num AS new_bib
            FROM runsignup_removed_registrations r
            LEFT JOIN runsignup_participants n ON n.registration_id = r.new_registration_id
            WHERE (r.bib_num = @bib OR (${name}) OR substr(rd_fold(r.email), 1, length(@email)) = @email)
              AND ${inScope('', { provider: `'runsignup'`, eventId: 'CAST(r.event_id AS TEXT)' })}
            ORDER BY r.removed_at DESC, r.registration_id LIMIT ${removedLimit}`;
  });
  // One word may also start the e-mail, as in the pickup lookup.
  const email = words.length === 1 ? words[0] : null;
  const params = { bib: raw, email, scope: scopeParameter(input.scope), ...Object.fromEntries(words.map((word, index) => [`w${index}`, word])) };
  return (statement.all(params) as RemovedRow[]).map(({ new_first_name, new_last_name, new_bib, ...row }) => ({
    ...row,
    note: removalNote(row, { first: new_first_name, last: new_last_name, bib: new_bib }),
  }));
}

/** What happened to a removed registration, in the words the pickup table shows. */
export function removalNote(
  row: { removed_reason: string | null; new_participant_id: string | null },
  to: { first: string | null; last: string | null; bib: string | null },
): string {
  if (row.new_participant_id !== null) {
    const who = [[to.first, to.last].filter(Boolean).join(' '), to.bib ? `bib ${to.bib}` : ''].filter(Boolean).join(', ');
    return `transferred to registration ${row.new_participant_id}${who ? ` (${who})` : ''}`;
  }
  return row.removed_reason ? `removed: ${row.removed_reason}` : 'removed';
}
