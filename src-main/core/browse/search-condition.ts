import { foldForSearch } from '../store/sql-fold.ts';

/** The upper bound of a prefix range: every string starting with `prefix` sorts below it. */
const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

/*
 * The lookup's matching rules on participant_search (exact bib; each word the start of the first
 * or last name, accent-insensitive; email prefix) as a condition on (provider, participant_id),
 * so tables filter with the same rules the pickup search box uses.
 */
export function participantSearchCondition(
  search: string,
  params: Record<string, unknown>,
  columns: { provider: string; participantId: string },
): string {
  const raw = search.trim();
  params.searchBib = raw;
  const words = raw.split(/\s+/).map((w) => foldForSearch(w)).filter((w): w is string => w !== null);
  const branches = ['bib = @searchBib'];
  if (words.length === 1) {
    params.w = words[0];
    params.wEnd = prefixEnd(words[0]);
    branches.push('(first_fold >= @w AND first_fold < @wEnd)', '(last_fold >= @w AND last_fold < @wEnd)', '(email_fold >= @w AND email_fold < @wEnd)');
  } else if (words.length > 1) {
    params.a = words[0];
    params.aEnd = prefixEnd(words[0]);
    params.b = words.slice(1).join('');
    params.bEnd = prefixEnd(params.b as string);
    branches.push(
      '(first_fold >= @a AND first_fold < @aEnd AND last_fold >= @b AND last_fold < @bEnd)',
      '(first_fold >= @b AND first_fold < @bEnd AND last_fold >= @a AND last_fold < @aEnd)',
    );
  }
  return `(${columns.provider}, ${columns.participantId}) IN (SELECT provider, participant_id FROM participant_search WHERE ${branches.join(' OR ')})`;
}
