/*
 * Every Race Roster detail that ../shared/providers/raceroster.md marks [ASSUMED]: no source
 * confirms it, so the client and the simulator agree on the choice made here. When a real
 * account shows otherwise, correct it in this file (and the simulator follows).
 */

/*
 * Field check (../shared/providers/field-check.md §4), applied:
 * - corrected: a 403 fails that one event only;
 * - corrected: multi-select (list) and boolean answers are kept as text, an unknown gender code
 *   is NULL and reported, numeric-string coordinates are read, an event without `subEvents` lists
 *   with none, a participant in a sub-event the listing lacks is kept;
 * - corrected: an event or participant without a readable id is skipped and reported;
 * - still unconfirmed: whether /events lists past events (an event synced before is synced by id
 *   when it is missing), removals, status/payment/currency columns (still derived).
 */

/** Page size for GET /events and /events/{id}/participants: no documented maximum; the fake caps at 100. */
export const eventsPageSize = 50;
export const participantsPageSize = 100;
export const maxPageSize = 100;

/**
 * GET /events/{id}/participants accepts `lastModifiedDate` (records modified at or after this
 * instant) and `subEventId`, by analogy with GET /events. If the real API ignores them, the
 * incremental sync degrades to a full re-pull, which upserts by registration id (no duplicates).
 */
export const participantsSinceParam = 'lastModifiedDate';
export const participantsSubEventParam = 'subEventId';

/** The token response: the fake wraps it as {"data": {...}}; the client accepts that, bare, or {"data": [{...}]}. */
export function wrapTokenResponse(token: Record<string, unknown>): unknown {
  return { data: token };
}

/** Race Roster gives no end date for an event or sub-event. */
export function endDateOf(startDate: string | null): string | null {
  return startDate;
}

/**
 * Not on /events: the registered count comes from /participants metadata.totalResults filtered
 * by sub-event (one small request per sub-event, limit=1). Only for events that have not started:
 * a past event's count no longer changes, and the requests add up over a season of events.
 */
export function countsParticipantsOf(eventStart: string | null, now: Date): boolean {
  return eventStart === null || now.getTime() < Date.parse(eventStart);
}

/** No price/currency on /events: the fake may add `price` (string) and `currency` on a sub-event; else by country. */
const currencyByCountry: Record<string, string> = {
  CA: 'CAD',
  US: 'USD',
  GB: 'GBP',
  IE: 'EUR',
  FR: 'EUR',
  DE: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  AU: 'AUD',
  NZ: 'NZD',
  MX: 'MXN',
};

export function currencyForCountry(countryCode: string | null): string | null {
  return countryCode ? (currencyByCountry[countryCode.toUpperCase()] ?? null) : null;
}

/** No event status: derived from the registration window and the start date. */
export function eventStatusOn(
  now: Date,
  dates: { registrationOpen: string | null; registrationClose: string | null; start: string | null },
): string | null {
  const t = now.getTime();
  const at = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const open = at(dates.registrationOpen);
  const close = at(dates.registrationClose);
  const start = at(dates.start);
  if (start !== null && t >= start) return 'past';
  if (open !== null && t < open) return 'upcoming';
  if (close !== null && t > close) return 'closed';
  if (open === null && close === null) return null;
  return 'open';
}

/** The payload has a teamId but no team name; a number is no use at the pickup table (teamId stays in additional_info). */
export function teamNameFor(_teamId: number | null): string | null {
  return null;
}

/** No division field: the sub-event's name (Half Marathon, 5K) is what crews call the division. */
export function divisionFor(subEventName: string | null): string | null {
  return subEventName;
}

/** No registration status: anything /participants returns counts as registered. */
export const registrationStatusOfListed = 'registered';

/** No payment status: "paid" when the net registration total is above zero, else "free". */
export function paymentStatusFor(netRegistrationTotal: number | null): string | null {
  if (netRegistrationTotal === null) return null;
  return netRegistrationTotal > 0 ? 'paid' : 'free';
}
