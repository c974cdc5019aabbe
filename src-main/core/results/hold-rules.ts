import type { EventParticipant } from './event-participants.ts';
import { fullName, sortedEntries } from './line-result.ts';
import { bibKey, type ResultLine } from './result-row.ts';

/*
 * Which lines of a timing export an import cannot write, and why. One definition for the
 * preview's problem list, the held rows (held.ts) and a crew's correction of one.
 */
export const holdKinds = ['unknown_bib', 'shared_bib', 'duplicate_bib', 'bad_value', 'no_bib'] as const;
export type HoldKind = (typeof holdKinds)[number];

/** Why a problem row cannot be written, all its reasons: what the held-rows list shows. */
export interface Hold {
  kind: HoldKind;
  reasons: string[];
}

/*
 * What is wrong with a line's bib: on several lines with different results, not registered, or
 * registered more than once. `sameBibLines` are the bib's lines with distinct results (an
 * identical repeat of a line counts once).
 */
export function bibReasons(bib: string, sameBibLines: number[], matches: EventParticipant[]): string[] {
  if (bib === '') return [];
  const reasons: string[] = [];
  if (sameBibLines.length > 1) reasons.push(`bib ${bib} is on ${sameBibLines.length.toLocaleString('en-US')} lines: ${someLines(sameBibLines)}`);
  if (matches.length === 0) reasons.push(`bib ${bib} is not registered in this event`);
  if (matches.length > 1) {
    reasons.push(`bib ${bib} belongs to ${matches.length} participants (${matches.map(fullName).join(', ')}); fix the bibs before importing`);
  }
  return reasons;
}

/** The kind decides what may resolve a held row: only a bib nobody (or several) holds can be matched by itself later. */
export function holdOf(line: ResultLine, sameBibLines: number[], matches: EventParticipant[]): Hold | null {
  const reasons = [...line.problems, ...bibReasons(line.bib, sameBibLines, matches)];
  if (reasons.length === 0) return null;
  const kind: HoldKind =
    line.bib === '' ? 'no_bib' : line.problems.length > 0 ? 'bad_value' : sameBibLines.length > 1 ? 'duplicate_bib' : matches.length > 1 ? 'shared_bib' : 'unknown_bib';
  return { kind, reasons };
}

/** Two lines say the same thing of a bib: the same times, splits, status and problems. */
export function lineSignature(line: ResultLine): string {
  return JSON.stringify([bibKey(line.bib), line.chipTimeMs, line.gunTimeMs, line.status, sortedEntries(line.splits), line.problems]);
}

function someLines(lines: number[]): string {
  const shown = 5;
  if (lines.length <= shown) return `${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
  return `${lines.slice(0, shown).join(', ')} and ${(lines.length - shown).toLocaleString('en-US')} more`;
}
