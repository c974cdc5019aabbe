import type { Core } from '../core.ts';
import type { AnyProviderDefinition } from '../providers/types.ts';

/*
 * The store, like the hub, names an event by (provider, the provider's event id), and every
 * count, check-in and push follows that key. That is right for one service: its ids are its own,
 * so two accounts that both see an event see the same event, with the same registrations, and
 * share its stored rows. Accounts of one provider on different services (another base URL: a
 * second server, a sandbox) can name two different events by the same id. Stored as one, the
 * second account's runners were added to the first's event (the Sync card showed "0 / 22 checked
 * in" for two events of 12) and runners whose ids collide overwrote the first's. So an event
 * already stored from an account of another service is refused, and nothing of it is written.
 */

const service = (definition: AnyProviderDefinition, baseUrl: string | undefined) => (baseUrl ?? definition.defaultBaseUrl).replace(/\/+$/, '');

/**
 * Why `account` may not store the event `eventId` (a sentence naming the fix), or null when the
 * event is new here, was stored by this account or one of the same service, or by an account no
 * longer configured (its rows are taken over, as after a pull from the hub or a renamed account).
 */
export function eventHeldByAnotherService(core: Core, definition: AnyProviderDefinition, account: string, eventId: string): string | null {
  const accounts = core.settings.read().accounts.filter((a) => a.provider === definition.name);
  const own = accounts.find((a) => a.label === account);
  const holders = core.db
    .prepare(`SELECT DISTINCT credentials_used FROM unified_events WHERE source_provider = ? AND event_id = ? AND credentials_used IS NOT NULL`)
    .pluck()
    .all(definition.name, eventId) as string[];
  for (const label of holders) {
    const holder = accounts.find((a) => a.label === label);
    if (!holder || label === account || service(definition, holder.baseUrl) === service(definition, own?.baseUrl)) continue;
    return (
      `${definition.displayName} event ${eventId} is already stored from the account "${label}", which reads another service ` +
      `(${service(definition, holder.baseUrl)}, not ${service(definition, own?.baseUrl)}): the two are different events under one id, and ` +
      `storing this one would mix their runners. Nothing of it was stored. Sync each service in its own data folder (--data-dir); ` +
      `if both accounts should read the same service, add "${account}" again with that service's --base-url (racedesk account remove, then account add).`
    );
  }
  return null;
}
