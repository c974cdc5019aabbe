import { z } from 'zod';
import { providerNames } from '../providers/types.ts';
import { RaceDeskError } from '../errors.ts';

/*
 * The event(s) a pickup table serves. A station (in its settings) and each joined device (in the
 * browser) keeps its own and passes it with every lookup and counters call: search, bib lookup and
 * counters then see only those events. No scope, or an empty one, is every event.
 * An event id without a provider means that id at whichever provider has it (the CLI's
 * `--event 48517`); the station's picker always names the provider.
 */
export const eventRefSchema = z.object({ provider: z.enum(providerNames).optional(), eventId: z.string().trim().min(1).max(200) });
export const eventScopeSchema = z.array(eventRefSchema).max(200);
export type EventScope = z.infer<typeof eventScopeSchema>;

/** A station's own scope, as its settings keep it: always with the provider. */
export const stationScopeSchema = z.array(eventRefSchema.required()).max(200);

/**
 * The scope as the JSON parameter the queries take (@scope: [[provider, event_id], ...]), or null
 * for every event. SQL: `(@scope IS NULL OR (provider, event_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@scope)))`.
 */
export function scopeParameter(scope: EventScope | undefined): string | null {
  if (!scope || scope.length === 0) return null;
  const pairs = scope.flatMap((event) => (event.provider ? [[event.provider, event.eventId]] : providerNames.map((provider) => [provider, event.eventId])));
  return JSON.stringify(pairs);
}

/** The condition on a row's provider and event columns (`t.` for a table alias t's provider and event_id). */
export const inScope = (alias = '', columns = { provider: 'provider', eventId: 'event_id' }) =>
  `(@scope IS NULL OR (${alias}${columns.provider}, ${alias}${columns.eventId}) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@scope)))`;

/** "runsignup:101" or "101" (any provider), as the CLI's --event takes it. */
export function parseEventRef(text: string): z.infer<typeof eventRefSchema> {
  const at = text.indexOf(':');
  const provider = at > 0 ? text.slice(0, at) : undefined;
  const known = provider !== undefined && (providerNames as readonly string[]).includes(provider);
  const parsed = eventRefSchema.safeParse(known ? { provider, eventId: text.slice(at + 1) } : { eventId: text });
  if (!parsed.success) {
    throw new RaceDeskError('invalid_input', `"${text}" is not an event: give its id, or provider:id (e.g. runsignup:101).`);
  }
  return parsed.data;
}
