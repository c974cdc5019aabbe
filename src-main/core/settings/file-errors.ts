import type { z } from 'zod';
import { RaceDeskError } from '../errors.ts';

/*
 * A settings or token file that a person edited by hand, or that a crash cut short, is reported
 * in one line: which file, which key, what is wrong with it, and what to do. Never a dump of the
 * schema library's issue list, and never silently replaced (a replaced token would strand every
 * device that joined with the old one).
 */
export function invalidFileError(path: string, error: z.ZodError, whatToDo: string): RaceDeskError {
  const [first] = error.issues;
  const key = first.path.length > 0 ? first.path.join('.') : '(the whole file)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new RaceDeskError('invalid_input', `${path}: ${key}: ${first.message}${more}. ${whatToDo}`);
}

export function unreadableFileError(path: string, error: unknown, whatToDo: string): RaceDeskError {
  const reason = error instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${(error as Error).message})`;
  return new RaceDeskError('invalid_input', `${path} ${reason}. ${whatToDo}`);
}
