/**
 * Every failure a person can act on crosses the API boundary as {code, message}.
 * Codes are stable identifiers for programs (CLI exit codes, UI states); messages are sentences for people.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'auth_failed'
  /** The account may sign in but not read this one event or race; the others go on. */
  | 'access_denied'
  | 'provider_error'
  | 'network_error'
  | 'rate_limited'
  | 'keychain_unavailable'
  | 'database_error'
  | 'database_too_new'
  | 'hub_error'
  | 'cancelled'
  | 'unauthorized'
  /** Known caller, but this call is not among its rights (a venue device asking for an admin call). */
  | 'forbidden'
  | 'internal';

export class RaceDeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RaceDeskError';
  }
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof RaceDeskError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
