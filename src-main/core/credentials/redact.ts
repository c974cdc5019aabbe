import { createHash } from 'node:crypto';
import { RaceDeskError } from '../errors.ts';

/*
 * An account's secret in every form it travels in: as typed, URL-encoded (query strings and form
 * bodies), as ChronoTrack's user_pass (the SHA-1 hex of the password) and base64 in a Basic
 * Authorization header (user:password, client_id:client_secret). A provider or proxy that echoes
 * the request puts any of these in its error text, and that text would otherwise reach
 * sync_history, the hub, every venue device's event stream and the terminal.
 *
 * Values shorter than four characters are left out: masking "ab" everywhere would garble every
 * message while hiding nothing a guess would not find.
 */
const shortest = 4;

/** `secret` is the account's secret object; `sent` are further values sent during the session (tokens). */
export function secretForms(secret: unknown, sent: readonly string[] = []): string[] {
  const fields = typeof secret === 'object' && secret !== null ? Object.values(secret) : [];
  const values = [...new Set([...fields, ...sent])].filter((v): v is string => typeof v === 'string' && v.length >= shortest);
  const forms = new Set<string>();
  for (const value of values) {
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
    forms.add(createHash('sha1').update(value, 'utf8').digest('hex'));
    forms.add(Buffer.from(value, 'utf8').toString('base64'));
    for (const other of values) if (other !== value) forms.add(Buffer.from(`${value}:${other}`, 'utf8').toString('base64'));
  }
  // Longest first, so a form that contains another is masked whole.
  return [...forms].filter((form) => form.length >= shortest).sort((a, b) => b.length - a.length);
}

/** The text with every secret form replaced by ***, as the URLs in messages already are. */
export function redactSecrets(text: string, forms: readonly string[]): string {
  let clean = text;
  for (const form of forms) if (clean.includes(form)) clean = clean.split(form).join('***');
  return clean;
}

/** The same failure with its message (and stack) redacted; a RaceDeskError keeps its code. */
export function redactError(error: unknown, forms: readonly string[]): unknown {
  if (error instanceof RaceDeskError) {
    const clean = new RaceDeskError(error.code, redactSecrets(error.message, forms), error.details);
    if (error.stack) clean.stack = redactSecrets(error.stack, forms);
    return clean;
  }
  if (error instanceof Error) {
    error.message = redactSecrets(error.message, forms);
    if (error.stack) error.stack = redactSecrets(error.stack, forms);
    return error;
  }
  return typeof error === 'string' ? redactSecrets(error, forms) : error;
}
