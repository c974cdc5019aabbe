/*
 * What RaceDesk takes from RunSignUp's public documentation, and what it still assumes (field check
 * ../shared/providers/field-check.md §2). Confirmed [OFFICIAL]:
 * - errors arrive as HTTP 200 with {"error": {"error_code", "error_msg"}} (R8, R12);
 * - GET /races lists "only the most current events" unless given start_date (R4, R5), so the
 *   listing asks for start_date = today - syncPastDays, and an event synced before is fetched with
 *   GET /race/{race_id}, which returns past events too (R6);
 * - participants paging by after_registration_id with results_per_page up to 2,500 (R2);
 * - removed_reason and new_registration_id on removed participants (R3).
 * Still unconfirmed: money in other currencies ("CA$45.00" is stored as NULL and reported), the
 * numeric request limit, what only_partner_races=T means for a timer key.
 */
export const runsignupErrorCodes = {
  keyAuthenticationFailed: 6,
  permissionDenied: 7,
  requestThrottled: 14,
  raceNotFound: 201,
  invalidEventIds: [202, 223] as readonly number[],
} as const;
