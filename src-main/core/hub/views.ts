import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ageOn, durationFromMs, genderOf, storedDuration, unifiedStatus } from '../views/rules.ts';
import { partnerTables } from './migrations/0003-tenant-isolation.ts';

/*
 * The hub's views, defined here once for the newest schema and recreated by migrateHub after its
 * migrations whenever one ran or a definition changed, as the laptop's are (store/views.ts, whose
 * column meanings they share through views/rules.ts). Beside the unified views over all five
 * providers and the venue's walk-ups, the current state of what the venue changed:
 *
 * participant_field_values / participant_check_ins: by the rule both laptops and hub share, per
 * (participant, field) the change with the newest changed_at wins, ties broken by change_id, both
 * compared byte for byte like SQLite (COLLATE "C"); check-in state is the newest check_in /
 * undo_check_in. Every change stays in participant_changes.
 *
 * Where the hub differs from the laptop on purpose: rows are joined within their timing partner; a
 * Haku runner's participant_id is Haku's registration number (the hub keys venue rows by event_id
 * beside it); walk-ups are source_provider 'local'; and the laptop-only columns (source_rowid, the
 * venue columns of unified_participants) are not here.
 *
 * Tenant isolation: the views read through row-level security, so a caller's function can never see
 * a row before the policy has filtered it (hub migration 0005 explains the two paths below).
 *
 * Reads by event use the indexes of hub migration 0029, so each arm filters and sorts on plain
 * columns of its own table, never on a cast (RunSignUp's and Race Roster's event_id_text) or a join
 * (a ChronoTrack result's participant_status, migration 0030). And each arm gives every column
 * exactly the type of the first arm's (hence the casts): only then does PostgreSQL plan the view
 * as an append of its tables, so a query's conditions and order reach each table's indexes and a
 * column no query reads is never computed; otherwise the arms are computed row by row, every
 * column, before anything is counted or sorted.
 */
const gender = (column: string) => genderOf('postgres', column);
const age = (dob: string, day: string) => ageOn('postgres', dob, day);

/*
 * A value of the row's event, or of a Copernico result's runner: a scalar subquery rather than a
 * LEFT JOIN, so each arm reads one table and PostgreSQL plans it as part of the view's append,
 * computing the value only where a query reads the column (a count or a filter on plain columns
 * never does). The same rows: each natural key (hub migration 0002) matches at most one row.
 */
const ofEvent = (value: string, events: string, row: string, more = '') =>
  `(SELECT ${value} FROM ${events} e WHERE e.event_id = ${row}.event_id AND e.timing_partner_id = ${row}.timing_partner_id${more})`;
const ofRunner = (value: string) =>
  `(SELECT ${value} FROM copernico_participants p
    WHERE p.event_id = r.event_id AND p.participant_id = r.participant_id AND p.timing_partner_id = r.timing_partner_id)`;

const hubViewNames = ['unified_results', 'unified_participants', 'unified_events', 'participant_field_values', 'participant_check_ins'];

const viewsSql = /* sql */ `
CREATE VIEW unified_events AS
SELECT 'runsignup'::varchar AS source_provider, e.timing_partner_id, e.event_id::varchar AS event_id,
       e.name::varchar AS event_name, e.start_time AS event_date, e.fetched_date,
       e.race_id::varchar AS race_id, e.race_name::varchar AS race_name, e.credentials_used
FROM runsignup_events e
UNION ALL
SELECT 'chronotrack', e.timing_partner_id, e.event_id, e.event_name, e.event_start_time, e.created_at,
       NULL, NULL, e.credentials_used
FROM ct_events e
UNION ALL
SELECT 'raceroster', e.timing_partner_id, e.event_id::varchar, e.name, e.start_date, e.fetched_date,
       e.race_id::varchar, e.location_name, e.credentials_used
FROM raceroster_events e
UNION ALL
SELECT 'copernico', e.timing_partner_id, e.event_id, e.event_name, e.event_date, e.fetched_date,
       NULL, NULL, e.credentials_used
FROM copernico_events e
UNION ALL
SELECT 'haku', e.timing_partner_id, e.event_id, e.event_name, e.start_date, e.fetched_date,
       NULL, NULL, e.credentials_used
FROM haku_events e;

CREATE VIEW unified_participants AS
SELECT 'runsignup'::varchar AS source_provider, p.timing_partner_id, p.event_id_text AS event_id,
       p.registration_id::varchar AS participant_id,
       p.first_name, p.last_name, p.email, p.phone::varchar AS phone, ${gender('p.gender')} AS gender,
       p.bib_num AS bib_number, (p.address->>'city')::varchar AS city, (p.address->>'state')::varchar AS state,
       coalesce(p.age, ${age('p.dob', ofEvent('coalesce(e.age_calc_base_date, e.start_time)', 'runsignup_events', 'p'))}) AS age,
       p.dob AS date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used
FROM runsignup_participants p
UNION ALL
SELECT 'chronotrack'::varchar, p.timing_partner_id, p.event_id, p.entry_id,
       p.athlete_first_name, p.athlete_last_name, p.athlete_email,
       coalesce(p.athlete_mobile_phone, p.athlete_home_phone), ${gender('p.athlete_sex')},
       p.entry_bib, (p.location->>'city')::varchar, (p.location->>'region')::varchar,
       coalesce(p.entry_race_age, ${age('p.athlete_birthdate', ofEvent('e.event_start_time', 'ct_events', 'p'))}),
       p.athlete_birthdate, p.team_name, NULL::timestamp, p.created_at, p.credentials_used
FROM ct_participants p
UNION ALL
SELECT 'raceroster'::varchar, p.timing_partner_id, p.event_id_text, p.registration_id::varchar,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, (p.address->>'city')::varchar, (p.address->>'region')::varchar,
       ${age('p.date_of_birth', ofEvent('e.start_date', 'raceroster_events', 'p', ' AND e.race_id = p.race_id'))},
       p.date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used
FROM raceroster_participants p
UNION ALL
SELECT 'copernico'::varchar, p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, NULL::varchar, NULL::varchar, ${gender('p.gender')},
       p.bib_number, NULL::varchar, NULL::varchar,
       ${age('p.date_of_birth', ofEvent('e.event_date', 'copernico_events', 'p'))},
       p.date_of_birth, p.club_team, NULL::timestamp, p.fetched_date, p.credentials_used
FROM copernico_participants p
UNION ALL
SELECT 'haku'::varchar, p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, p.city, p.state,
       ${age('p.date_of_birth', ofEvent('e.start_date', 'haku_events', 'p'))},
       p.date_of_birth, p.team_affiliation, p.registration_date, p.fetched_date, p.credentials_used
FROM haku_participants p
UNION ALL
-- Walk-ups registered at the venue, joined to the provider event they run in.
SELECT 'local'::varchar, p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, p.city, p.state,
       ${age('p.date_of_birth', `coalesce(
         (SELECT start_time FROM runsignup_events WHERE p.source_provider = 'runsignup' AND event_id::varchar = p.event_id AND timing_partner_id = p.timing_partner_id),
         (SELECT event_start_time FROM ct_events WHERE p.source_provider = 'chronotrack' AND event_id = p.event_id AND timing_partner_id = p.timing_partner_id),
         (SELECT min(start_date) FROM raceroster_events WHERE p.source_provider = 'raceroster' AND event_id::varchar = p.event_id AND timing_partner_id = p.timing_partner_id),
         (SELECT event_date FROM copernico_events WHERE p.source_provider = 'copernico' AND event_id = p.event_id AND timing_partner_id = p.timing_partner_id),
         (SELECT start_date FROM haku_events WHERE p.source_provider = 'haku' AND event_id = p.event_id AND timing_partner_id = p.timing_partner_id))`)},
       p.date_of_birth, p.team_name, p.created_at, p.updated_at, NULL::varchar
FROM local_participants p;

CREATE VIEW unified_results AS
SELECT 'chronotrack'::varchar AS source_provider, r.timing_partner_id, r.event_id,
       r.entry_id AS participant_id, r.results_bib AS bib_number,
       r.results_first_name AS first_name, r.results_last_name AS last_name,
       ${gender('r.results_sex')} AS gender, r.results_age AS age,
       r.results_time::varchar AS results_time, r.results_gun_time::varchar AS results_gun_time,
       r.results_rank AS overall_place,
       r.results_gender_rank AS gender_place, r.results_age_group_rank AS age_group_place,
       (${unifiedStatus('r.participant_status', `CASE WHEN r.results_time IS NOT NULL THEN 'finished' END`)})::varchar AS status,
       r.created_at AS fetched_date
FROM ct_results r
UNION ALL
SELECT 'copernico'::varchar, r.timing_partner_id, r.event_id, r.participant_id, r.bib_number,
       r.first_name, r.last_name, ${ofRunner(gender('p.gender'))},
       ${ofRunner(age('p.date_of_birth', ofEvent('e.event_date', 'copernico_events', 'r')))},
       (${storedDuration('postgres', 'r.total_time')})::varchar, (${storedDuration('postgres', 'r.gun_time')})::varchar, r.overall_position,
       NULL::integer, r.category_position,
       (${unifiedStatus('r.status', 'lower(r.status)')})::varchar,
       r.fetched_date
FROM copernico_results r
UNION ALL
-- The crew's own timing (results module), for the provider event it timed.
SELECT 'crew'::varchar, r.timing_partner_id, r.event_id, r.participant_id, r.bib_number,
       r.first_name, r.last_name, ${gender('r.gender')}, r.age,
       (${durationFromMs('postgres', 'r.chip_time_ms')})::varchar, (${durationFromMs('postgres', 'r.gun_time_ms')})::varchar,
       r.overall_place, r.gender_place, r.age_group_place,
       (${unifiedStatus('r.status')})::varchar,
       r.updated_at
FROM crew_results r;

CREATE VIEW participant_field_values AS
SELECT DISTINCT ON (c.timing_partner_id, c.source_provider, c.event_id, c.participant_id, c.field)
       c.timing_partner_id, c.source_provider, c.event_id, c.participant_id, c.field,
       c.new_value AS value, c.changed_at, c.change_id, c.station_name
FROM participant_changes c
WHERE c.kind IN ('bib_change', 'edit') AND c.field IS NOT NULL
ORDER BY c.timing_partner_id, c.source_provider, c.event_id, c.participant_id, c.field,
         c.changed_at COLLATE "C" DESC, c.change_id COLLATE "C" DESC;

CREATE VIEW participant_check_ins AS
SELECT DISTINCT ON (c.timing_partner_id, c.source_provider, c.event_id, c.participant_id)
       c.timing_partner_id, c.source_provider, c.event_id, c.participant_id,
       c.kind = 'check_in' AS checked_in, c.changed_at, c.change_id, c.station_name
FROM participant_changes c
WHERE c.kind IN ('check_in', 'undo_check_in')
ORDER BY c.timing_partner_id, c.source_provider, c.event_id, c.participant_id,
         c.changed_at COLLATE "C" DESC, c.change_id COLLATE "C" DESC;
`;

/** Marks views made from this definition; a hub whose views carry another one gets them recreated. */
const fingerprint = `RaceDesk views ${createHash('sha256').update(viewsSql).digest('hex').slice(0, 16)}`;

const names = `ARRAY['${hubViewNames.join("', '")}']`;

/** Before migrations run: PostgreSQL refuses to change a column a view reads. */
export const dropHubViews = hubViewNames.map((view) => `DROP VIEW IF EXISTS public.${view};`).join('\n');

/**
 * The views created to read through row-level security: security_invoker on PostgreSQL 15+; on
 * 13/14 they belong to racedesk_view_owner, a NOLOGIN role without BYPASSRLS that holds only
 * SELECT, whose reads the policies filter by the calling partner (current_user). The admin reads
 * every row: as the tables' owner on 15+, through an explicit policy for that role on 13/14
 * (hub_admin_rows, migrations 0005 and 0029).
 * racedesk.views_through_owner = on makes a newer server take the 13/14 path (the tests run it).
 */
const hubViewsSql = /* sql */ `
${dropHubViews}
${viewsSql}
GRANT SELECT ON ${hubViewNames.join(', ')} TO racedesk_partner;
${hubViewNames.map((view) => `COMMENT ON VIEW public.${view} IS '${fingerprint}';`).join('\n')}
DO $$
DECLARE
  relation text;
BEGIN
  IF pg_catalog.current_setting('server_version_num')::int >= 150000
     AND pg_catalog.current_setting('racedesk.views_through_owner', true) IS DISTINCT FROM 'on' THEN
    FOREACH relation IN ARRAY ${names} LOOP
      EXECUTE pg_catalog.format('ALTER VIEW public.%I SET (security_invoker = true)', relation);
    END LOOP;
    RETURN;
  END IF;
  IF (SELECT rolbypassrls OR rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'racedesk_view_owner') THEN
    RAISE EXCEPTION 'The role racedesk_view_owner may read past row-level security; the hub''s views would show every partner''s rows. Run ALTER ROLE racedesk_view_owner NOSUPERUSER NOBYPASSRLS, then racedesk hub migrate again.';
  END IF;
  -- ALTER ... OWNER needs the admin to be a member of the new owner, and the new owner to have
  -- CREATE on the schema at that moment; it keeps nothing but SELECT afterwards.
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    EXECUTE pg_catalog.format('GRANT racedesk_view_owner TO %I', current_user);
  END IF;
  GRANT CREATE ON SCHEMA public TO racedesk_view_owner;
  FOREACH relation IN ARRAY ARRAY['${partnerTables.join("', '")}'] LOOP
    EXECUTE pg_catalog.format('GRANT SELECT ON public.%I TO racedesk_view_owner', relation);
  END LOOP;
  FOREACH relation IN ARRAY ${names} LOOP
    EXECUTE pg_catalog.format('GRANT SELECT ON public.%I TO %I', relation, current_user);
    EXECUTE pg_catalog.format('ALTER VIEW public.%I OWNER TO racedesk_view_owner', relation);
  END LOOP;
  REVOKE CREATE ON SCHEMA public FROM racedesk_view_owner;
END $$;
`;

/** Creates the views unless every one is there from this definition and no migration just ran. */
export async function ensureHubViews(client: pg.Client, migrated: boolean): Promise<void> {
  if (!migrated) {
    const { rows } = await client.query<{ current: number }>(
      `SELECT pg_catalog.count(*)::int AS current FROM pg_catalog.pg_class
       WHERE relnamespace = 'public'::pg_catalog.regnamespace AND relkind = 'v' AND relname = ANY($1)
         AND pg_catalog.obj_description(oid, 'pg_class') = $2`,
      [hubViewNames, fingerprint],
    );
    if (rows[0].current === hubViewNames.length) return;
  }
  await client.query(hubViewsSql);
}
