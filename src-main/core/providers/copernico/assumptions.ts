/*
 * Every Copernico detail that ../shared/providers/copernico.md marks [ASSUMED] or single-source
 * [CODE-1], in one place, so a crew with a real account can correct them. Copernico has no
 * public API reference; what is not here follows what several integrations agree on.
 */

/*
 * Field check (../shared/providers/field-check.md §5), applied:
 * - corrected: a 403 fails that one race only; 401 stops the account;
 * - corrected: a race-detail event without `name` (its RaceDesk id) is skipped and reported, not
 *   the whole race list; odd values in athlete records are NULL and reported; an /athletes item
 *   without an id is skipped and reported, the others stored;
 * - corrected: athlete records come from `/athlete/{id}/full`, as the production integrator reads
 *   them; the plain `/athlete/{id}` only where /full answers 404;
 * - corrected: a record with no `times`, only `rankings` (rankings.Meta, as CP5/CP7 read), gives its
 *   splits and finish from the rankings' own times;
 * - corrected: offset-less times are read in the race's time zone (kept as sent without one);
 * - confirmed: `x-api-key`, the race list as ids, `name`/`surname`/`dorsal`, ms times, male/female;
 *   checked against payloads shaped like the live API (tests/core/providers/copernico/documented-example.test.ts);
 * - corrected: results come from the public preset export (CP1) when the account names a preset
 *   (preset_login + preset_name): one call per event instead of one per athlete; the per-athlete
 *   calls remain the fallback when no preset is set or the export does not answer with rows;
 * - confirmed for the preset (CP1 [DOC], CP6 consumers [CODE]): the URL
 *   public-api.copernico.cloud/api/races/{race}/preset/{login}:::{preset}/{event}, no key, a flat
 *   array of rows (also seen wrapped in {data} or {results}), times in ms, the 6 MB limit, gzip
 *   bytes sent without Content-Encoding (http.ts reads them);
 * - still unconfirmed: every race-detail field name; what the export answers for a preset that is
 *   not published (any non-2xx or non-list answer is taken as "unavailable"); the preset's column
 *   names beyond those listed in presetColumns; whether a preset row can carry the athlete id.
 */
export const copernicoAssumptions = {
  /** One copernico_events row per (race, event): "{raceId}:{eventName}" (§6, assumed convention). */
  eventId: (raceId: string, eventName: string) => `${raceId}:${eventName}`,
  /**
   * 401 = bad or missing key (stops the account), 403 = key not allowed for that race (fails that
   * race only) (§2, one integrator's diagnostics).
   */
  badKeyStatus: 401,
  forbiddenStatus: 403,
  /**
   * Race detail field names are not observed anywhere (§4.2): we read
   * {id, name, timezone, date, location, company, status, events: [{id, name, distance (m), date,
   * discipline, type, maxParticipants, price, currency}]}.
   */
  raceDetailFields: 'id name timezone date location company status events',
  /**
   * /athletes items beyond id, name, surname, dorsal (§4.3): gender, birthdate, nationality, club,
   * event, category, status. When `event` is missing in a race with several events, the athlete's
   * own record tells which events they are in (one extra call per such athlete).
   */
  summaryFields: 'gender birthdate nationality club event category status',
  /** Summary status meaning "has no times yet": no per-athlete call is made for results. */
  notStartedStatuses: ['notstarted'] as readonly string[],
  /** Deleted athletes simply disappear from /athletes, so everyone listed is registered (§6). */
  registrationStatus: 'registered',
  /** No licence field was observed; an attribute of one of these names is used when present (§6). */
  licenceAttributes: ['Licencia', 'Licencia federativa', 'License', 'Licence'] as readonly string[],
  /**
   * The finish is the split with the highest order (§6). An athlete who dropped out has that
   * split missing, so the last split they reached only counts as the finish when it is the full
   * distance, carries a finish-like name, or the athlete's status is finished.
   */
  finishSplitNames: /^(meta|finish|final|llegada|arriv[ée]e)$/i,
  /** Copernico does not page; we store its one big answer in pages of this many rows. */
  participantRowsPerPage: 500,
  /** Results need one call per athlete: this many athletes make one stored page. */
  resultAthletesPerPage: 25,
  /**
   * The preset export lives on the public host for production; any other base URL (demo, a
   * simulator, a proxy) serves it itself.
   */
  presetBaseUrl: (baseUrl: string) => (new URL(baseUrl).hostname === 'api.copernico.cloud' ? 'https://public-api.copernico.cloud' : baseUrl),
  /**
   * Preset columns (copernico.md §4.5): the athlete fields dorsal, name, surname, gender, birthdate,
   * category, status, event as observed; time columns "times.{kind}_{split}" with kind official
   * (net, chip), real (gun) or tod (epoch-ms time of day) and the split between ":::" marks, the
   * finish as ":::finish:::" (observed); other split names extrapolate that pattern. A row has no
   * athlete id as observed, so it is matched to the athlete list by dorsal (by `id` if the preset
   * has one). The export carries no positions as observed: places are ranked here by the official
   * (net) finish time within the event, and within category.
   */
  presetColumns: { time: /^times\.(official|real|tod)_(.+)$/, finishSplit: 'finish' },
  /** Preset rows of one event are stored in pages of this many rows. */
  presetRowsPerPage: 500,
  /** Integrators keep to at most 10 parallel athlete calls; we stay well under. */
  parallelAthleteCalls: 4,
};
