/*
 * What RaceDesk takes from RunSignUp's public documentation, and what it still assumes (field check
 * ../shared/providers/field-check.md §2). Confirmed [OFFICIAL]:
 * - errors arrive as HTTP 200 with {"error": {"error_code", "error_msg"}} (R8, R12);
 * - GET /races lists "only the most current events" unless given start_date (R4, R5), so the
 *   listing asks for start_date = today - syncPastDays, and an event synced before is fetched with
 *   GET /race/{race_id}, which returns past events too (R6);
 * - participants paging by after_registration_id with results_per_page up to 2,500 (R2);
 * - removed_reason and new_registration_id on removed participants (R3): kept in
 *   runsignup_removed_registrations, last_modified read as US Eastern (R7);
 * - v2 keys (rsu_api_key + X-RSU-API-SECRET header) and OAuth 2.0 Bearer tokens (R4, R12), see
 *   runsignupOAuth below;
 * - registration dates in US Eastern time, event times in the race's zone (R6, R7).
 * Still unconfirmed: money in other currencies ("CA$45.00" is stored as NULL and reported), the
 * numeric request limit, what only_partner_races=T means for a timer key, the shape of the
 * fundraiser fields include_fundraisers=T adds (read as a flat fundraiser_charity_name), the
 * spelling of removed_reason values (the docs list cleared/removed/transferred/deferred), and the
 * unit words of free-text distances beyond K / Mile(s) / m.
 */
export const runsignupErrorCodes = {
  keyAuthenticationFailed: 6,
  permissionDenied: 7,
  requestThrottled: 14,
  raceNotFound: 201,
  invalidEventIds: [202, 223] as readonly number[],
} as const;

/**
 * OAuth 2.0 as RunSignUp's own mobile timing app does it (runsignup.md §2c, R12): paths on the
 * API base URL's site, the read scope only (an OAuth sign-in made with it may be refused when
 * publishing results, error 7, which is reported as an access problem). Confirmed from
 * that app: the URLs, PKCE S256, the field names and the token JSON. Unconfirmed: whether the
 * token endpoints take a url-encoded form as well as the app's multipart one (we send url-encoded),
 * the lifetime and rotation of refresh tokens (a new one in an answer replaces the stored one).
 */
export const runsignupOAuth = {
  authorizePath: '/Profile/OAuth2/RequestGrant',
  redeemPath: 'v2/auth/auth-code-redemption.json',
  refreshPath: 'v2/auth/refresh-token.json',
  scope: 'rsu_api_read',
  /**
   * Used when the person names none. RunSignUp redirects only to the redirect URI registered for
   * the OAuth client (and checks it again when the code is redeemed); whether it accepts a
   * loopback address on any port (RFC 8252 §7.3) is unconfirmed, so RaceDesk listens on nothing:
   * the browser fails to open this address, and the person pastes it (or the code in it) back.
   * Register this URI with the client, or pass the one the client has.
   */
  defaultRedirectUri: 'http://127.0.0.1/racedesk/oauth',
} as const;

/**
 * Publishing results (results-upload.ts). Confirmed [OFFICIAL]: the result set calls and their
 * form fields (request_format=json, individual_result_set_id, request = the JSON as a string) from
 * RunSignUp's resultsApiTest*.php examples (runsignup.md S3), in the path style of its mobile
 * timing app (race/{id}/results/<request type>, S4); new-result-set answers individual_result_set_id;
 * the Create Event Result Set page lists individual_result_set_name, public_results,
 * results_source_name; the Post Event Results page (R9) matches rows by registration_id, bib_num or
 * chip_num, takes "DQ", "DNS", "DNF" or "DNQ" in place of clock_time / chip_time, and without an
 * individual_result_set_id would reuse or create a set. Times as the examples write them, "H:MM:SS.mmm".
 * Assumed: the key "bib" for a runner RunSignUp has no registration id of (a walk-up): the
 * examples and get-results say "bib", R9's prose "bib_num" (the simulator takes both); that a
 * row matching no registrant is refused as an error of the whole request (the only error shape
 * documented; the simulator answers 104 "First name is required", since R9 asks unmatched rows
 * for names) and nothing of that request is stored, hence the row-by-row retry; that posting a
 * registrant again within a set updates its result (the examples post splits, then the finish,
 * without result_id); that clear-results empties the set and keeps its id; the success bodies
 * of clear-results and full-results (nothing is read from them); the batch size (the examples
 * post 25 with a pause; the shared request allowance does the pacing here). Splits are not sent:
 * they need RunSignUp's split ids (Result-Set-Splits), which RaceDesk does not create yet.
 */
export const runsignupResultsApi = {
  batchSize: 100,
} as const;
