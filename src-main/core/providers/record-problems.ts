import type { z } from 'zod';
import { RaceDeskError } from '../errors.ts';

/*
 * How a provider's malformed record becomes an error a person can act on: the mapping says what
 * is wrong with the record, the session adds the provider, the page and the record's id.
 */

/** A record that cannot be stored, found by a hand-written field reader ("has no entry_id"). */
export class RecordProblem extends Error {}

export interface RecordAt {
  /** The kind of record: "entry", "athlete". */
  what: string;
  /** Where it came from: "event 90412, entries page 2". */
  where: string;
  id: string;
}

/**
 * Runs a mapping step; a RecordProblem becomes a provider_error naming the provider, where and
 * which record, and `remedy` (what to correct, and where).
 */
export function checkedRecord<T>(step: () => T, at: RecordAt, provider: { name: string; remedy: string }): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof RecordProblem)) throw error;
    throw new RaceDeskError(
      'provider_error',
      `${provider.name} sent a malformed ${at.what} in ${at.where}: ${at.what} ${at.id} ${error.message}. ` +
        `Nothing from that page was stored; ${provider.remedy} and sync again.`,
    );
  }
}

/** The record's id for messages, even when the record is otherwise broken. */
export function recordId(value: unknown, field: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)[field];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/** A zod failure as one short phrase: "subEventId: expected number" etc. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'record'}: ${issue.message}`)
    .join('; ');
}
