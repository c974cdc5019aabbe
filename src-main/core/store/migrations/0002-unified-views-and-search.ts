import type { Migration } from './types.ts';

/*
 * The unified views cover all five providers with one meaning per column:
 *   gender  'M' | 'F' | 'X' (non-binary) | NULL — every provider's spelling folded by GENDER(...)
 *   age     the provider's own age when it gives one, else computed from date of birth on the
 *           event's date (RunSignUp's age_calc_base_date when set)
 *   city / state  from each provider's address shape
 *   participant_id  the provider's stable registration id, as text
 *   source_rowid    the row's rowid in its provider table: lookups fetch a hit by
 *                   (source_provider, source_rowid), which SQLite pushes into the matching arm
 *                   of the UNION as a rowid seek (participant_id is a CAST for integer ids and
 *                   would scan)
 */
const gender = (column: string) => `CASE upper(substr(trim(${column}), 1, 1))
      WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'W' THEN 'F' WHEN 'X' THEN 'X' WHEN 'N' THEN 'X' END`;

const ageOn = (dob: string, day: string) => `CASE WHEN ${dob} IS NOT NULL AND ${day} IS NOT NULL THEN
      (CAST(strftime('%Y', ${day}) AS INTEGER) - CAST(strftime('%Y', ${dob}) AS INTEGER))
      - (strftime('%m-%d', ${day}) < strftime('%m-%d', ${dob})) END`;

/*
 * participant_search is the lookup index: one row per registration of any provider, with the
 * folded forms that packet pickup searches on. Triggers keep it in step with each provider table,
 * so every writer (sync, bib change, walk-up) updates it in the same transaction.
 * rd_fold() and rd_digits() are registered by openDatabase (store/database.ts).
 */
export interface SearchSource {
  provider: string;
  table: string;
  id: string;
  eventId: string;
  bib: string;
  first: string;
  last: string;
  email: string;
  phone: string;
}

export const searchSources: readonly SearchSource[] = [
  { provider: 'runsignup', table: 'runsignup_participants', id: 'registration_id', eventId: 'event_id', bib: 'bib_num', first: 'first_name', last: 'last_name', email: 'email', phone: 'phone' },
  { provider: 'chronotrack', table: 'ct_participants', id: 'entry_id', eventId: 'event_id', bib: 'entry_bib', first: 'athlete_first_name', last: 'athlete_last_name', email: 'athlete_email', phone: 'coalesce(NEW.athlete_mobile_phone, NEW.athlete_home_phone)' },
  { provider: 'raceroster', table: 'raceroster_participants', id: 'registration_id', eventId: 'event_id', bib: 'bib_number', first: 'first_name', last: 'last_name', email: 'email', phone: 'phone' },
  { provider: 'copernico', table: 'copernico_participants', id: 'participant_id', eventId: 'event_id', bib: 'bib_number', first: 'first_name', last: 'last_name', email: 'NULL', phone: 'NULL' },
  { provider: 'haku', table: 'haku_participants', id: 'participant_id', eventId: 'event_id', bib: 'bib_number', first: 'first_name', last: 'last_name', email: 'email', phone: 'phone' },
];

/** A SearchSource column, or an expression written over NEW, read from `row`. */
export const rowExpression = (expr: string, row: string) => (/^[a-z_]+$/.test(expr) ? `${row}.${expr}` : expr.replaceAll('NEW.', `${row}.`));

export function searchValues(s: SearchSource, row: 'NEW' | 'src'): string {
  const col = (expr: string) => rowExpression(expr, row);
  return `'${s.provider}', CAST(${col(s.id)} AS TEXT), ${row}.rowid, CAST(${row}.${s.eventId} AS TEXT), CAST(${col(s.bib)} AS TEXT),
      rd_fold(${col(s.first)}), rd_fold(${col(s.last)}), rd_fold(${col(s.email)}), rd_digits(${col(s.phone)})`;
}

/** Indexes rows that existed before the triggers did. */
function searchBackfill(s: SearchSource): string {
  return `INSERT OR REPLACE INTO participant_search SELECT ${searchValues(s, 'src')} FROM ${s.table} AS src;`;
}

export function searchTriggers(s: SearchSource): string {
  const values = searchValues(s, 'NEW');
  return `
CREATE TRIGGER ${s.table}_search_insert AFTER INSERT ON ${s.table} BEGIN
  INSERT OR REPLACE INTO participant_search VALUES (${values});
END;
CREATE TRIGGER ${s.table}_search_update AFTER UPDATE ON ${s.table} BEGIN
  DELETE FROM participant_search WHERE provider = '${s.provider}' AND participant_id = CAST(OLD.${s.id} AS TEXT);
  INSERT OR REPLACE INTO participant_search VALUES (${values});
END;
CREATE TRIGGER ${s.table}_search_delete AFTER DELETE ON ${s.table} BEGIN
  DELETE FROM participant_search WHERE provider = '${s.provider}' AND participant_id = CAST(OLD.${s.id} AS TEXT);
END;`;
}

export const unifiedViewsAndSearch: Migration = {
  version: 2,
  name: 'unified-views-and-search',
  up: /* sql */ `
CREATE VIEW unified_events AS
SELECT 'runsignup' AS source_provider, timing_partner_id, CAST(event_id AS TEXT) AS event_id,
       name AS event_name, start_time AS event_date, fetched_date,
       CAST(race_id AS TEXT) AS race_id, race_name, credentials_used
FROM runsignup_events
UNION ALL
SELECT 'chronotrack', timing_partner_id, event_id, event_name, event_start_time, created_at,
       NULL, NULL, credentials_used
FROM ct_events
UNION ALL
SELECT 'raceroster', timing_partner_id, CAST(event_id AS TEXT), name, start_date, fetched_date,
       CAST(race_id AS TEXT), location_name, credentials_used
FROM raceroster_events
UNION ALL
SELECT 'copernico', timing_partner_id, event_id, event_name, event_date, fetched_date,
       NULL, NULL, credentials_used
FROM copernico_events
UNION ALL
SELECT 'haku', timing_partner_id, event_id, event_name, start_date, fetched_date,
       NULL, NULL, credentials_used
FROM haku_events;

CREATE VIEW unified_participants AS
SELECT 'runsignup' AS source_provider, p.timing_partner_id, CAST(p.event_id AS TEXT) AS event_id,
       CAST(p.registration_id AS TEXT) AS participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')} AS gender,
       p.bib_num AS bib_number, json_extract(p.address, '$.city') AS city,
       json_extract(p.address, '$.state') AS state,
       coalesce(p.age, ${ageOn('p.dob', 'date(coalesce(e.age_calc_base_date, e.start_time))')}) AS age,
       p.dob AS date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used,
       p.rowid AS source_rowid
FROM runsignup_participants p LEFT JOIN runsignup_events e ON e.event_id = p.event_id
UNION ALL
SELECT 'chronotrack', p.timing_partner_id, p.event_id, p.entry_id,
       p.athlete_first_name, p.athlete_last_name, p.athlete_email,
       coalesce(p.athlete_mobile_phone, p.athlete_home_phone), ${gender('p.athlete_sex')},
       p.entry_bib, json_extract(p.location, '$.city'), json_extract(p.location, '$.region'),
       coalesce(p.entry_race_age, ${ageOn('p.athlete_birthdate', 'date(e.event_start_time)')}),
       p.athlete_birthdate, p.team_name, NULL, p.created_at, p.credentials_used, p.rowid
FROM ct_participants p LEFT JOIN ct_events e ON e.event_id = p.event_id
UNION ALL
SELECT 'raceroster', p.timing_partner_id, CAST(p.event_id AS TEXT), CAST(p.registration_id AS TEXT),
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, json_extract(p.address, '$.city'), json_extract(p.address, '$.region'),
       ${ageOn('p.date_of_birth', 'date(e.start_date)')},
       p.date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used, p.rowid
FROM raceroster_participants p
LEFT JOIN raceroster_events e ON e.event_id = p.event_id AND e.race_id = p.race_id
UNION ALL
SELECT 'copernico', p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, NULL, NULL, ${gender('p.gender')},
       p.bib_number, NULL, NULL,
       ${ageOn('p.date_of_birth', 'date(e.event_date)')},
       p.date_of_birth, p.club_team, NULL, p.fetched_date, p.credentials_used, p.rowid
FROM copernico_participants p LEFT JOIN copernico_events e ON e.event_id = p.event_id
UNION ALL
SELECT 'haku', p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, p.city, p.state,
       ${ageOn('p.date_of_birth', 'date(e.start_date)')},
       p.date_of_birth, p.team_affiliation, p.registration_date, p.fetched_date, p.credentials_used, p.rowid
FROM haku_participants p LEFT JOIN haku_events e ON e.event_id = p.event_id;

CREATE VIEW unified_results AS
SELECT 'chronotrack' AS source_provider, r.timing_partner_id, r.event_id,
       r.entry_id AS participant_id, r.results_bib AS bib_number,
       r.results_first_name AS first_name, r.results_last_name AS last_name,
       ${gender('r.results_sex')} AS gender, r.results_age AS age,
       r.results_time, r.results_gun_time, r.results_rank AS overall_place,
       NULL AS status, r.created_at AS fetched_date
FROM ct_results r
UNION ALL
SELECT 'copernico', r.timing_partner_id, r.event_id, r.participant_id, r.bib_number,
       r.first_name, r.last_name, ${gender('p.gender')},
       ${ageOn('p.date_of_birth', 'date(e.event_date)')},
       r.total_time, r.total_time, r.overall_position, r.status, r.fetched_date
FROM copernico_results r
LEFT JOIN copernico_participants p ON p.event_id = r.event_id AND p.participant_id = r.participant_id
LEFT JOIN copernico_events e ON e.event_id = r.event_id;

CREATE TABLE participant_search (
  provider TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  source_rowid INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  bib TEXT,
  first_fold TEXT,
  last_fold TEXT,
  email_fold TEXT,
  phone_digits TEXT,
  PRIMARY KEY (provider, participant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX idx_participant_search_bib ON participant_search(bib, event_id);
CREATE INDEX idx_participant_search_first ON participant_search(first_fold);
CREATE INDEX idx_participant_search_last ON participant_search(last_fold);
CREATE INDEX idx_participant_search_email ON participant_search(email_fold);
CREATE INDEX idx_participant_search_phone ON participant_search(phone_digits);
${searchSources.map(searchTriggers).join('\n')}
${searchSources.map(searchBackfill).join('\n')}
`,
};
