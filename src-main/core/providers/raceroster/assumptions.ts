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
 * - corrected: the columns the API has no field for (event status and currency, registration and
 *   payment status) are NULL, no longer derived from the dates, the country or the amount;
 * - confirmed by the documented example payloads (RR2): string-quoted ids, empty distance fields,
 *   "+00:00" offsets, decimal-string totals (tests/core/providers/raceroster/documented-example.test.ts);
 * - still unconfirmed: whether /events lists past events (an event synced before is synced by id
 *   when it is missing); removals: no removed, cancelled or refunded field or endpoint is known
 *   (looked for again in the public sources for issue 15, none found), so a refunded or
 *   transferred registrant stays stored until someone deletes the row; nothing is inferred.
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

/** The payload has a teamId but no team name; a number is no use at the pickup table (teamId stays in additional_info). */
export function teamNameFor(_teamId: number | null): string | null {
  return null;
}

/** No division field: the sub-event's name (Half Marathon, 5K) is what crews call the division. */
export function divisionFor(subEventName: string | null): string | null {
  return subEventName;
}
