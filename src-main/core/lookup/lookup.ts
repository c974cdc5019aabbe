import type { Db } from '../store/database.ts';
import { foldForSearch, phoneDigits } from '../store/sql-fold.ts';
import { preparedPerDb } from '../store/statements.ts';

export interface LookupQuery {
  query: string;
  eventId?: string;
  limit?: number;
}

export interface UnifiedParticipant {
  source_provider: string;
  timing_partner_id: number | null;
  event_id: string;
  participant_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  gender: string | null;
  bib_number: string | null;
  city: string | null;
  state: string | null;
  age: number | null;
  date_of_birth: string | null;
  team_name: string | null;
  registration_date: string | null;
  fetched_date: string | null;
  credentials_used: string | null;
  source_rowid: number;
  [extra: string]: unknown;
}

interface Hit {
  provider: string;
  source_rowid: number;
}

/** The upper bound of a prefix range: every string starting with `prefix` sorts below it. */
const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

/**
 * Packet-pickup lookup across every provider, on participant_search (migration 0002):
 *   1. exact bib (and, for a number, nothing else competes with it: it comes first),
 *   2. names: each word of the query is a prefix of the first or last name, folded
 *      ("nun" finds Núñez, "o'b" and "ob" find O'Brien, "mar qu" finds Marisol Quennell),
 *   3. email prefix and phone digits.
 * Every branch is an index range scan, so a million rows answer in well under a millisecond.
 */
export function lookupParticipants(db: Db, input: LookupQuery): UnifiedParticipant[] {
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 500);
  const raw = input.query.trim();
  if (raw.length === 0) return [];
  const hits: Hit[] = [];
  const seen = new Set<string>();
  const add = (rows: Hit[]) => {
    for (const row of rows) {
      const key = `${row.provider}:${row.source_rowid}`;
      if (!seen.has(key) && hits.length < limit) {
        seen.add(key);
        hits.push(row);
      }
    }
  };
  const event = input.eventId ?? null;

  add(statements(db).bib.all({ bib: raw, event }) as Hit[]);

  const words = raw.split(/\s+/).map((w) => foldForSearch(w)).filter((w): w is string => w !== null);
  if (words.length === 1 && hits.length < limit) {
    const [word] = words;
    add(statements(db).lastPrefix.all({ from: word, to: prefixEnd(word), event, limit }) as Hit[]);
    add(statements(db).firstPrefix.all({ from: word, to: prefixEnd(word), event, limit }) as Hit[]);
    add(statements(db).emailPrefix.all({ from: word, to: prefixEnd(word), event, limit }) as Hit[]);
  } else if (words.length > 1 && hits.length < limit) {
    // "Marisol Quennell" or "quennell marisol": first word on one name, the rest on the other.
    const first = words[0];
    const rest = words.slice(1).join('');
    add(statements(db).fullName.all({ a: first, aEnd: prefixEnd(first), b: rest, bEnd: prefixEnd(rest), event, limit }) as Hit[]);
    add(statements(db).fullName.all({ a: rest, aEnd: prefixEnd(rest), b: first, bEnd: prefixEnd(first), event, limit }) as Hit[]);
  }
  const digits = phoneDigits(raw);
  if (digits && digits.length >= 7 && digits.length === raw.replace(/[\s()+.-]/g, '').length && hits.length < limit) {
    add(statements(db).phone.all({ digits, event, limit }) as Hit[]);
  }
  return fetchUnifiedRows(db, hits);
}

/** One query per provider for all its hits, then back into the ranked order. */
function fetchUnifiedRows(db: Db, hits: Hit[]): UnifiedParticipant[] {
  const byProvider = new Map<string, number[]>();
  for (const hit of hits) byProvider.set(hit.provider, [...(byProvider.get(hit.provider) ?? []), hit.source_rowid]);
  const found = new Map<string, UnifiedParticipant>();
  for (const [provider, rowids] of byProvider) {
    const rows = statements(db).unified.all({ provider, rowids: JSON.stringify(rowids) }) as UnifiedParticipant[];
    for (const row of rows) found.set(`${provider}:${row.source_rowid}`, row);
  }
  return hits.map((hit) => found.get(`${hit.provider}:${hit.source_rowid}`)).filter((row): row is UnifiedParticipant => row !== undefined);
}

const statements = preparedPerDb((db: Db) => {
  const select = 'SELECT provider, source_rowid FROM participant_search';
  const inEvent = '(@event IS NULL OR event_id = @event)';
  return {
    bib: db.prepare(`${select} WHERE bib = @bib AND ${inEvent} ORDER BY provider, event_id`),
    lastPrefix: db.prepare(`${select} WHERE last_fold >= @from AND last_fold < @to AND ${inEvent} ORDER BY last_fold, first_fold LIMIT @limit`),
    firstPrefix: db.prepare(`${select} WHERE first_fold >= @from AND first_fold < @to AND ${inEvent} ORDER BY first_fold, last_fold LIMIT @limit`),
    emailPrefix: db.prepare(`${select} WHERE email_fold >= @from AND email_fold < @to AND ${inEvent} ORDER BY email_fold LIMIT @limit`),
    fullName: db.prepare(
      `${select} WHERE first_fold >= @a AND first_fold < @aEnd AND last_fold >= @b AND last_fold < @bEnd AND ${inEvent}
       ORDER BY last_fold, first_fold LIMIT @limit`,
    ),
    phone: db.prepare(`${select} WHERE phone_digits = @digits AND ${inEvent} LIMIT @limit`),
    unified: db.prepare(
      'SELECT * FROM unified_participants WHERE source_provider = @provider AND source_rowid IN (SELECT value FROM json_each(@rowids))',
    ),
  };
});
