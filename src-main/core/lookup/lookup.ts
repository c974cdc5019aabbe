import type { z } from 'zod';
import type { Db } from '../store/database.ts';
import type { unifiedParticipantSchema } from './schemas.ts';
import { foldForSearch, phoneDigits } from '../store/sql-fold.ts';
import { allRowsNamed, boundLimit, preparedFor, preparedPerDb } from '../store/statements.ts';
import { unifiedParticipantArms } from '../store/views.ts';
import { inScope, scopeParameter, type EventScope } from './scope.ts';

export interface LookupQuery {
  query: string;
  /** The events the table serves (lookup/scope.ts); none is every event. */
  scope?: EventScope;
  limit?: number;
}

/** A unified_participants row as lookups return it. */
export type UnifiedParticipant = z.output<typeof unifiedParticipantSchema>;

export interface LookupResult {
  /** The first `limit` matches, best first. */
  rows: UnifiedParticipant[];
  /** How many runners match in all: exact up to the counting limit, else the limit itself (totalExact false: "more than"). */
  total: number;
  totalExact: boolean;
}

/** Counting stops here: beyond it the volunteer needs to type more, not an exact figure. */
export const lookupCountLimit = 200;

/**
 * Counting reads at most this many index entries per name tier: a query whose driving word is
 * common but whose other words are rare ("zoe o connor smith" in a million) would otherwise read
 * tens of thousands to count; beyond it the total is "more than" what was found.
 */
const countBudget = 5000;

/** Sizing up a word of a multi-word query stops here: enough to tell a rare word from a common one. */
const estimateLimit = 200;

interface Hit {
  provider: string;
  source_rowid: number;
}

/** The upper bound of a prefix range: every string starting with `prefix` sorts below it. */
const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

/**
 * Packet-pickup lookup across every provider, on participant_search (migrations 0002, 0070):
 *   1. exact bib (and, for a number, nothing else competes with it: it comes first),
 *   2. names: every word of the query starts one of the places a name part starts, folded
 *      (store/sql-fold.ts nameKey): "nun" finds Núñez and D'Arcy-Núñez, "o brien" O'Brien,
 *      "ana lucia nunez" Ana Lucía Núñez, "mary kate van der berg" Mary-Kate Van der Berg;
 *      runners named by whole first and last names come first, then those whose last name starts
 *      with the driving word, then first names, then inner parts,
 *   3. email prefix (one word) and phone digits.
 * One word of the query drives an index range (the rarest, for several words); the others are
 * checked on the name key the same index entries carry. Everything is limited to the scope.
 */
export function lookupParticipants(db: Db, input: LookupQuery): LookupResult {
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 500);
  const raw = input.query.trim();
  if (raw.length === 0) return { rows: [], total: 0, totalExact: true };
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
  const { params, others } = queryParameters(db, raw, input.scope);
  const s = nameStatements(db, others);
  const q = { ...params, limit };
  add(statements(db).bib.all(q) as Hit[]);
  // Several words that spell a whole first (or last) name and the start of the other come first,
  // each split an index seek: the common "michael smith", "ana lucia nunez", "smith mich".
  for (const split of wholeNameSplits(raw)) if (hits.length < limit) add(statements(db).wholeName.all({ ...q, ...split }) as Hit[]);
  if (params.d !== null && hits.length < limit) {
    for (const tier of [s.last, s.first, s.inner]) if (hits.length < limit) add(tier.all(q) as Hit[]);
  }
  if (params.email !== null && hits.length < limit) add(statements(db).emailPrefix.all(q) as Hit[]);
  if (params.digits !== null && hits.length < limit) add(statements(db).phone.all(q) as Hit[]);

  const rows = fetchUnifiedRows(db, hits);
  // Fewer hits than asked for: every tier ran to its end, so these are all the matches.
  if (hits.length < limit) return { rows, total: hits.length, totalExact: true };
  const counted = (s.count.get({ ...params, cap: lookupCountLimit + 1, budget: countBudget }) as { n: number }).n;
  if (counted > lookupCountLimit) return { rows, total: lookupCountLimit, totalExact: false };
  const cut = params.d !== null && (statements(db).beyondBudget.get({ d: params.d, dEnd: params.dEnd, budget: countBudget }) as { cut: number }).cut === 1;
  return { rows, total: Math.max(counted, hits.length), totalExact: !cut };
}

/** The query's folded words cut in two at every point: the words before and after, each run together. */
function wholeNameSplits(raw: string): Array<{ a: string; aEnd: string; b: string; bEnd: string }> {
  const words = raw.split(/\s+/).map((w) => foldForSearch(w)).filter((w): w is string => w !== null);
  return words.slice(1).map((_, index) => {
    const a = words.slice(0, index + 1).join('');
    const b = words.slice(index + 1).join('');
    return { a, aEnd: prefixEnd(a), b, bEnd: prefixEnd(b) };
  });
}

/**
 * The named parameters of every lookup statement for a query: @bib, @scope, the driving word's
 * range (@d, @dEnd), the other words' name-key entries (@k0, @k1, ...), @email, @emailEnd, @digits.
 * `others` is how many other words there are (the statements differ by it).
 */
function queryParameters(db: Db | null, raw: string, eventScope: EventScope | undefined) {
  const words = raw.split(/\s+/).map((w) => foldForSearch(w)).filter((w): w is string => w !== null);
  // Any word finds the same runners; the rarest is the fastest, the longest a fair guess without counting.
  const driver = words.length > 1 && db !== null ? rarestWord(db, words) : ([...words].sort((a, b) => b.length - a.length)[0] ?? null);
  const driverIndex = driver === null ? -1 : words.indexOf(driver);
  const others = words.filter((_, index) => index !== driverIndex);
  const email = words.length === 1 ? words[0] : null;
  const digits = phoneDigits(raw);
  const params = {
    bib: raw,
    scope: scopeParameter(eventScope),
    d: driver,
    dEnd: driver === null ? null : prefixEnd(driver),
    email,
    emailEnd: email === null ? null : prefixEnd(email),
    digits: digits && digits.length >= 7 && digits.length === raw.replace(/[\s()+.-]/g, '').length ? digits : null,
    ...Object.fromEntries(others.map((word, index) => [`k${index}`, ` ${word}`])),
  };
  return { params, others: others.length };
}

/**
 * Every runner a query matches, as a condition on (provider, participant_id) columns, with its
 * parameters added to `params`: the Browse tables filter by the rules of the pickup search box.
 */
export function lookupMatchCondition(query: string, params: Record<string, unknown>, columns: { provider: string; participantId: string }): string {
  const { params: own, others } = queryParameters(null, query.trim(), undefined);
  Object.assign(params, own);
  return `(${columns.provider}, ${columns.participantId}) IN (${matchesSql(others)})`;
}

/** The word of a multi-word query with the fewest index entries: it drives, the others filter. */
function rarestWord(db: Db, words: string[]): string {
  const sized = words.map((word) => ({
    word,
    n: (statements(db).estimate.get({ d: word, dEnd: prefixEnd(word), cap: estimateLimit }) as { n: number }).n,
  }));
  sized.sort((a, b) => a.n - b.n || b.word.length - a.word.length);
  return sized[0].word;
}

/** One query per arm of unified_participants for all its hits, then back into the ranked order. */
function fetchUnifiedRows(db: Db, hits: Hit[]): UnifiedParticipant[] {
  // A provider's hits are its table's rows; a walk-up's (negative source_rowid) are walk-ups listed under it.
  const byArm = new Map<string, { arm: ParticipantArm; provider: string; rowids: number[] }>();
  for (const hit of hits) {
    const walkUp = hit.source_rowid < 0;
    const arm = walkUp ? 'local' : hit.provider;
    if (!Object.hasOwn(unifiedParticipantArms, arm)) continue;
    const key = walkUp ? `local:${hit.provider}` : hit.provider;
    const rowid = walkUp ? -hit.source_rowid : hit.source_rowid;
    const group = byArm.get(key);
    if (group) group.rowids.push(rowid);
    else byArm.set(key, { arm: arm as ParticipantArm, provider: hit.provider, rowids: [rowid] });
  }
  const found = new Map<string, UnifiedParticipant>();
  for (const { arm, provider, rowids } of byArm.values()) {
    const params = arm === 'local' ? [provider, ...paddedList(rowids)] : paddedList(rowids);
    const rows = allRowsNamed<UnifiedParticipant>(armRowsStatement(db, arm, rowids), viewColumns(db), ...params);
    for (const row of rows) found.set(`${row.source_provider}:${row.source_rowid}`, row);
  }
  return hits.map((hit) => found.get(`${hit.provider}:${hit.source_rowid}`)).filter((row): row is UnifiedParticipant => row !== undefined);
}

type ParticipantArm = keyof typeof unifiedParticipantArms;

/** The view's column names, which its arms give positionally. */
const viewColumns = preparedPerDb((db: Db) => db.prepare('SELECT * FROM unified_participants').columns().map((column) => column.name));

/*
 * The hits' rows of one arm by a list of bound rowids, each a rowid seek. The same list as
 * `IN (SELECT value FROM json_each(?))` cost four times the index lookup itself for one bib.
 * Preparing a statement for each hit count would cost more than the lookups (0.3-0.6 ms each over
 * the whole view), so lists come in a few lengths (powers of two, at most 512 for the limit of
 * 500), padded by repeating their first rowid, which IN takes once: ten statements per arm.
 */
function armRowsStatement(db: Db, arm: ParticipantArm, rowids: number[]) {
  const length = paddedLength(rowids.length);
  return preparedFor(db, `lookup.arm.${arm}.${length}`, () => {
    const list = Array.from({ length }, () => '?').join(', ');
    return `${unifiedParticipantArms[arm]} WHERE ${arm === 'local' ? 'p.source_provider = ? AND ' : ''}p.rowid IN (${list})`;
  });
}

const paddedLength = (count: number) => 2 ** Math.ceil(Math.log2(count));

function paddedList(rowids: number[]): number[] {
  const padded = rowids.slice();
  while (padded.length < paddedLength(rowids.length)) padded.push(rowids[0]);
  return padded;
}

/** The name key contains every other word of the query (@k0, @k1, ...: " " + word). */
const otherWordsMatch = (count: number, alias = '') =>
  Array.from({ length: count }, (_, index) => `instr(${alias}name_key, @k${index}) > 0`).join(' AND ') || '1';

/** The conditions of the three name tiers: the driving word starts the last name, the first name, or an inner part. */
function nameConditions(others: number) {
  const words = otherWordsMatch(others);
  return {
    last: `last_fold >= @d AND last_fold < @dEnd AND ${words} AND ${inScope()}`,
    first: `first_fold >= @d AND first_fold < @dEnd AND ${words} AND ${inScope()}`,
    inner: `t.token >= @d AND t.token < @dEnd AND ${otherWordsMatch(others, 't.')} AND ${inScope('t.')}`,
  };
}

/**
 * Every branch of the lookup as (provider, participant_id) rows; a runner may come more than once.
 * `budgeted`: each name tier reads at most @budget entries of its index range (for counting).
 */
function matchesSql(others: number, budgeted = false): string {
  const words = otherWordsMatch(others);
  const range = (columns: string, from: string, condition: string, where: string) =>
    budgeted ? `SELECT provider, participant_id FROM (SELECT ${columns} FROM ${from} WHERE ${condition} ${boundLimit('@budget')}) WHERE ${where}` : `SELECT provider, participant_id FROM ${from} WHERE ${condition} AND ${where}`;
  const columns = 'provider, participant_id, event_id, name_key';
  const nameWhere = `${words} AND ${inScope()}`;
  return `SELECT provider, participant_id FROM participant_search WHERE bib = @bib AND ${inScope()}
          UNION ALL ${range(columns, 'participant_search', 'last_fold >= @d AND last_fold < @dEnd', nameWhere)}
          UNION ALL ${range(columns, 'participant_search', 'first_fold >= @d AND first_fold < @dEnd', nameWhere)}
          UNION ALL ${range(columns, 'participant_name_tokens', 'token >= @d AND token < @dEnd', nameWhere)}
          UNION ALL SELECT provider, participant_id FROM participant_search WHERE email_fold >= @email AND email_fold < @emailEnd AND ${inScope()}
          UNION ALL SELECT provider, participant_id FROM participant_search WHERE phone_digits = @digits AND ${inScope()}`;
}

/** The name tiers and the count for a query whose driving word is checked with `others` more words. */
function nameStatements(db: Db, others: number) {
  const { last, first, inner } = nameConditions(others);
  const select = 'SELECT provider, source_rowid FROM participant_search';
  const key = (name: string) => `lookup.${name}.${others}`;
  return {
    last: preparedFor(db, key('last'), () => `${select} WHERE ${last} ORDER BY last_fold, first_fold ${boundLimit('@limit')}`),
    first: preparedFor(db, key('first'), () => `${select} WHERE ${first} ORDER BY first_fold, last_fold ${boundLimit('@limit')}`),
    inner: preparedFor(
      db,
      key('inner'),
      () => `SELECT t.provider, t.source_rowid FROM participant_name_tokens t WHERE ${inner} ORDER BY t.token, t.last_fold, t.first_fold ${boundLimit('@limit')}`,
    ),
    // Every branch of the lookup, each runner once, counted up to @cap: the "30 of 96".
    count: preparedFor(
      db,
      key('count'),
      () => `SELECT count(*) AS n FROM (SELECT DISTINCT provider, participant_id FROM (${matchesSql(others, true)}) ${boundLimit('@cap')})`,
    ),
  };
}

const statements = preparedPerDb((db: Db) => {
  const select = 'SELECT provider, source_rowid FROM participant_search';
  return {
    bib: db.prepare(`${select} WHERE bib = @bib AND ${inScope()} ORDER BY provider, event_id`),
    emailPrefix: db.prepare(`${select} WHERE email_fold >= @email AND email_fold < @emailEnd AND ${inScope()} ORDER BY email_fold ${boundLimit('@limit')}`),
    phone: db.prepare(`${select} WHERE phone_digits = @digits AND ${inScope()} ${boundLimit('@limit')}`),
    estimate: db.prepare(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM participant_search WHERE last_fold >= @d AND last_fold < @dEnd ${boundLimit('@cap')}))
            + (SELECT count(*) FROM (SELECT 1 FROM participant_search WHERE first_fold >= @d AND first_fold < @dEnd ${boundLimit('@cap')}))
            + (SELECT count(*) FROM (SELECT 1 FROM participant_name_tokens WHERE token >= @d AND token < @dEnd ${boundLimit('@cap')})) AS n`,
    ),
    // One side is a whole name (typed in full), the other the start of the other name, in either order.
    wholeName: db.prepare(
      `SELECT provider, source_rowid, last_fold, first_fold FROM participant_search WHERE first_fold = @a AND last_fold >= @b AND last_fold < @bEnd AND ${inScope()}
       UNION SELECT provider, source_rowid, last_fold, first_fold FROM participant_search WHERE last_fold = @a AND first_fold >= @b AND first_fold < @bEnd AND ${inScope()}
       UNION SELECT provider, source_rowid, last_fold, first_fold FROM participant_search WHERE last_fold = @b AND first_fold >= @a AND first_fold < @aEnd AND ${inScope()}
       UNION SELECT provider, source_rowid, last_fold, first_fold FROM participant_search WHERE first_fold = @b AND last_fold >= @a AND last_fold < @aEnd AND ${inScope()}
       ORDER BY last_fold, first_fold ${boundLimit('@limit')}`,
    ),
    // A name tier has more entries than counting reads: the count is a lower bound.
    beyondBudget: db.prepare(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM participant_search WHERE last_fold >= @d AND last_fold < @dEnd LIMIT @budget + 1)) > @budget
           OR (SELECT count(*) FROM (SELECT 1 FROM participant_search WHERE first_fold >= @d AND first_fold < @dEnd LIMIT @budget + 1)) > @budget
           OR (SELECT count(*) FROM (SELECT 1 FROM participant_name_tokens WHERE token >= @d AND token < @dEnd LIMIT @budget + 1)) > @budget AS cut`,
    ),
  };
});
