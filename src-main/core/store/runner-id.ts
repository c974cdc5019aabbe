/*
 * How the app names a runner: (provider, participant_id), in the search index, unified_participants,
 * the pickup state, the audit trail and crew results. Most providers' registration ids are unique
 * across their events; Haku's registration numbers (store migration 0083) and Copernico's athlete
 * ids (migration 0210: athletes are numbered per race, GET /api/races/{race}/athlete/{id}) are only
 * unique within an event, and keyed by them alone one event's runner shadowed another's. A runner
 * of those providers is therefore `<event_id>:<provider's id>` inside the app.
 *
 * The provider's id is recovered by removing the row's own event_id and ':', never by splitting
 * (either may hold a ':': Copernico's event ids are `<race>:<distance>`). The hub keys venue changes
 * and crew results by event beside the provider's id, so it gets the provider's id back
 * (store/pushable-tables.ts), and exports name runners by it.
 */
export const eventScopedProviders = ['haku', 'copernico'] as const;

const scopedList = eventScopedProviders.map((provider) => `'${provider}'`).join(', ');

export function isEventScoped(provider: string): boolean {
  return (eventScopedProviders as readonly string[]).includes(provider);
}

/** SQL: the app's runner id of a row of an event-scoped provider's own table (alias `row`, columns event_id and participant_id). */
export const eventScopedRunnerId = (row: string) => `${row}.event_id || ':' || ${row}.participant_id`;

/** SQL over a row naming its runner in the provider's terms (source_provider, event_id, participant_id): the app's id. */
export const appRunnerId = (row: string) =>
  `CASE WHEN ${row}.source_provider IN (${scopedList}) THEN ${eventScopedRunnerId(row)} ELSE ${row}.participant_id END`;

/** The inverse of appRunnerId, in SQL PostgreSQL runs too: the id the provider gave. */
export const providerRunnerIdSql = (row: string) =>
  `CASE WHEN ${row}.source_provider IN (${scopedList}) AND substr(${row}.participant_id, 1, length(${row}.event_id) + 1) = ${row}.event_id || ':'
  THEN substr(${row}.participant_id, length(${row}.event_id) + 2) ELSE ${row}.participant_id END`;

/** providerRunnerIdSql for a row read into the app. */
export function providerRunnerId(row: { source_provider: string; event_id: string; participant_id: string }): string {
  const prefix = `${row.event_id}:`;
  return isEventScoped(row.source_provider) && row.participant_id.startsWith(prefix) ? row.participant_id.slice(prefix.length) : row.participant_id;
}
