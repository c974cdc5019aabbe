import { foldForSearch, nameKey, phoneDigits } from '../../../src-main/core/store/sql-fold.ts';
import type { Input, Output } from '../api/client.ts';

/*
 * The pickup lookup over the device's copy of its runners, for when the station is unreachable:
 * the rules of the core's lookupParticipants (core/lookup/lookup.ts) in memory, with the same
 * folding (store/sql-fold.ts): exact bib first, then runners named by a whole first (or last) name
 * and the start of the other, then every word starting a part of the names (last name, first name,
 * inner parts), then email prefix (one word) and phone digits. A few tens of thousands of runners
 * are scanned in a few milliseconds, so there is no index to keep.
 */
export type CopyRow = Output<'pickup.deviceCopy'>['rows'][number];
type SearchRow = Output<'lookup.search'>['rows'][number];
type Scope = NonNullable<Input<'lookup.search'>['scope']>;

/** A copied runner with the folded keys the station's participant_search keeps for them. */
export interface CopyRunner {
  row: CopyRow;
  firstFold: string | null;
  lastFold: string | null;
  nameKey: string | null;
  emailFold: string | null;
  phoneDigits: string | null;
}

export function indexRunner(row: CopyRow): CopyRunner {
  return {
    row,
    firstFold: foldForSearch(row.first_name),
    lastFold: foldForSearch(row.last_name),
    nameKey: nameKey(row.first_name, row.last_name),
    emailFold: foldForSearch(row.email),
    phoneDigits: phoneDigits(row.phone),
  };
}

/** As lookup.search answers: counting stops at the core's lookupCountLimit. */
const countLimit = 200;

export function searchCopy(runners: readonly CopyRunner[], input: Input<'lookup.search'>): Output<'lookup.search'> {
  const raw = input.query.trim();
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 500);
  if (raw.length === 0) return { rows: [], total: 0, totalExact: true };
  const words = raw.split(/\s+/).map((word) => foldForSearch(word)).filter((word): word is string => word !== null);
  const digits = phoneDigits(raw);
  const phone = digits && digits.length >= 7 && digits.length === raw.replace(/[\s()+.-]/g, '').length ? digits : null;
  const email = words.length === 1 ? words[0] : null;
  const splits = words.slice(1).map((_, index) => [words.slice(0, index + 1).join(''), words.slice(index + 1).join('')] as const);
  const inScope = scopeTest(input.scope);

  const byName = (a: CopyRunner, b: CopyRunner) => compare(a.lastFold, b.lastFold) || compare(a.firstFold, b.firstFold);
  const tiers: CopyRunner[][] = [[], [], [], [], [], [], []];
  for (const runner of runners) {
    if (!inScope(runner.row)) continue;
    if (runner.row.bib_number === raw) tiers[0].push(runner);
    else if (splits.some(([a, b]) => wholeNameMatch(runner, a, b))) tiers[1].push(runner);
    else if (words.length > 0 && words.every((word) => runner.nameKey?.includes(` ${word}`))) {
      const driver = [...words].sort((x, y) => y.length - x.length)[0];
      if (runner.lastFold?.startsWith(driver)) tiers[2].push(runner);
      else if (runner.firstFold?.startsWith(driver)) tiers[3].push(runner);
      else tiers[4].push(runner);
    } else if (email !== null && runner.emailFold?.startsWith(email)) tiers[5].push(runner);
    else if (phone !== null && runner.phoneDigits === phone) tiers[6].push(runner);
  }
  tiers[0].sort((a, b) => compare(a.row.source_provider, b.row.source_provider) || compare(a.row.event_id, b.row.event_id));
  tiers[1].sort(byName);
  tiers[2].sort(byName);
  tiers[3].sort((a, b) => compare(a.firstFold, b.firstFold) || compare(a.lastFold, b.lastFold));
  tiers[4].sort(byName);
  tiers[5].sort((a, b) => compare(a.emailFold, b.emailFold));
  const matches = tiers.flat();
  const rows = matches.slice(0, limit).map((runner) => asSearchRow(runner.row));
  return matches.length > countLimit ? { rows, total: countLimit, totalExact: false } : { rows, total: matches.length, totalExact: true };
}

/** One side of the split is a whole first or last name, the other the start of the other name. */
function wholeNameMatch(runner: CopyRunner, a: string, b: string): boolean {
  const { firstFold: first, lastFold: last } = runner;
  if (first === null || last === null) return false;
  return (first === a && last.startsWith(b)) || (last === a && first.startsWith(b)) || (last === b && first.startsWith(a)) || (first === b && last.startsWith(a));
}

function scopeTest(scope: Scope | undefined): (row: CopyRow) => boolean {
  if (!scope || scope.length === 0) return () => true;
  return (row) => scope.some((event) => event.eventId === row.event_id && (event.provider === undefined || event.provider === row.source_provider));
}

/** Byte order, as SQLite compares the folded text columns. */
function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** A copied runner in the shape of a lookup.search row (unified_participants with the venue state). */
function asSearchRow(row: CopyRow): SearchRow {
  return { ...row, timing_partner_id: null, fetched_date: null, credentials_used: null, source_rowid: 0 };
}
