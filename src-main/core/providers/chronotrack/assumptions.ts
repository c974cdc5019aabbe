/*
 * Every ChronoTrack detail that ../shared/providers/chronotrack.md marks [unconfirmed], in one
 * place, so a crew with a real account can correct them without reading the whole client.
 * Everything else in this folder follows confirmed behaviour.
 */

/*
 * Field check (../shared/providers/field-check.md §3), applied:
 * - corrected: a 403 fails that one event (access_denied); only 401 means refused credentials;
 * - corrected: an `event_date`, birthdate or number we cannot read is stored as NULL and reported,
 *   and an event or entry without an id is skipped and reported, instead of failing the list/page;
 * - confirmed: endpoints, X-Ctlive-* paging headers, string ids, entry_bib/athlete_* names;
 * - applied from one client (C5): contact fields read from GET /entry/{id} when the entry list
 *   lacks them; gender and age-group places from the SEX and AGE brackets' results (C4, C5);
 * - still unconfirmed: whether the list ever carries the contact fields, bracket results' paging.
 */
export const chronotrackAssumptions = {
  /**
   * Simple query-string auth (client_id + user_id + SHA-1 user_pass) is the most common in real
   * clients; HTTP Basic (client_id in the query, login:password in the header) is the other
   * confirmed form. Whether the server also accepts a plain user_pass is unconfirmed, so we hash.
   */
  authMode: 'simple' as 'simple' | 'basic',
  /** Auth failures are "a non-2xx status"; which one is unconfirmed. Any of these means refused. */
  authFailureStatuses: [401] as readonly number[],
  /**
   * 403: this account may not read this one event. It fails that event only (field check §0 item 7):
   * treating it as a refused login stopped every other event of the run.
   */
  forbiddenStatus: 403,
  /** Sizes 50..1600 worked for real clients; the maximum and default are unconfirmed. */
  pageSize: 500,
  /** Without interval=ALL only the full-course row is believed to come back (unconfirmed default). */
  resultsInterval: 'ALL',
  /** Test entries/events are left out: they are the timer's dry runs, not runners at the table. */
  includeTestEntries: false,
  /**
   * No modified-since filter is confirmed (one app sends last_modified on results, untested), so
   * every sync is a full re-pull; rows upsert by entry_id, so a re-pull never duplicates.
   */
  incremental: false,
  /**
   * Contact fields, named as the hub's ct_participants columns. The entry list is asked for them
   * (contact_details=true) and they are mapped when it sends them; when an entry comes without
   * any, they are read from GET /entry/{id}, as the one public client that reads them does
   * (field-check.md §3, C5). Unconfirmed which of the two really carries them.
   */
  contactFields: ['athlete_email', 'athlete_home_phone', 'athlete_mobile_phone', 'team_id', 'entry_external_id'] as const,
  /**
   * GET /entry/{id} calls in flight at once (C5 sends batches of 50 and pauses ~600 ms between
   * them); every call still takes its token from the request allowance. An entry whose stored
   * row already has a contact field is not asked again: contact data rarely changes.
   */
  entryDetailBatch: 4,
  /**
   * Gender and age-group places: results_rank of GET /bracket/{id}/results for the brackets that
   * GET /event/{id}/bracket types SEX and AGE (C4, C5). Bracket types beyond these are ignored.
   */
  placeBrackets: { SEX: 'results_gender_rank', AGE: 'results_age_group_rank' } as Readonly<Record<string, string>>,
};
