import type { HubMigration } from './types.ts';

/*
 * The unified views over all five providers (the seed's covered two), plus the venue's own data,
 * with the laptop's meaning per column (store/migrations/0002 and 0010):
 *   gender  'M' | 'F' | 'X' | NULL; age the provider's own, else from date of birth on the event's
 *   date; participant_id the provider's stable id as text; status finished/dnf/dns/dq.
 *
 * Tenant isolation: a view reads its tables with its owner's rights, and its owner (the admin)
 * is exempt from row-level security, so each view filters by partner itself. PostgreSQL 15's
 * security_invoker views would make this automatic, but the production hub runs 13. Version 5
 * (0005-hostile-tenants.ts) replaces this filter, which a caller's cheap function could outrun,
 * with reads through row-level security.
 *
 * participant_field_values / participant_check_ins: the current state of what the venue changed,
 * by the rule both laptops and hub share: per (participant, field) the change with the newest
 * changed_at wins, ties broken by change_id, both compared byte for byte like SQLite (COLLATE "C");
 * check-in state is the newest check_in / undo_check_in. Every change stays in participant_changes.
 */
const gender = (column: string) => `CASE upper(left(btrim(${column}), 1))
      WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'W' THEN 'F' WHEN 'X' THEN 'X' WHEN 'N' THEN 'X' END`;

const ageOn = (dob: string, day: string) => `date_part('year', age((${day})::date, ${dob}))::integer`;

const ownFilter = (alias: string) =>
  `((SELECT hub_sees_all_partners()) OR ${alias}.timing_partner_id = (SELECT hub_current_partner_id()))`;

export const unifiedViewNames = ['unified_results', 'unified_participants', 'unified_events', 'participant_field_values', 'participant_check_ins'];

/**
 * The views' SQL; `visible(alias)` is the condition each branch adds on its rows. Version 4 filters
 * by partner in the view itself; version 5 recreates them with TRUE, reading through row-level
 * security instead (see 0005).
 */
export function unifiedViewsSql(visible: (alias: string) => string): string {
  return /* sql */ `
${unifiedViewNames.map((view) => `DROP VIEW IF EXISTS ${view};`).join('\n')}

CREATE VIEW unified_events AS
SELECT 'runsignup'::varchar AS source_provider, e.timing_partner_id, e.event_id::varchar AS event_id,
       e.name::varchar AS event_name, e.start_time AS event_date, e.fetched_date,
       e.race_id::varchar AS race_id, e.race_name::varchar AS race_name, e.credentials_used
FROM runsignup_events e WHERE ${visible('e')}
UNION ALL
SELECT 'chronotrack', e.timing_partner_id, e.event_id, e.event_name, e.event_start_time, e.created_at,
       NULL, NULL, e.credentials_used
FROM ct_events e WHERE ${visible('e')}
UNION ALL
SELECT 'raceroster', e.timing_partner_id, e.event_id::varchar, e.name, e.start_date, e.fetched_date,
       e.race_id::varchar, e.location_name, e.credentials_used
FROM raceroster_events e WHERE ${visible('e')}
UNION ALL
SELECT 'copernico', e.timing_partner_id, e.event_id, e.event_name, e.event_date, e.fetched_date,
       NULL, NULL, e.credentials_used
FROM copernico_events e WHERE ${visible('e')}
UNION ALL
SELECT 'haku', e.timing_partner_id, e.event_id, e.event_name, e.start_date, e.fetched_date,
       NULL, NULL, e.credentials_used
FROM haku_events e WHERE ${visible('e')};

CREATE VIEW unified_participants AS
SELECT 'runsignup'::varchar AS source_provider, p.timing_partner_id, p.event_id::varchar AS event_id,
       p.registration_id::varchar AS participant_id,
       p.first_name, p.last_name, p.email, p.phone::varchar AS phone, ${gender('p.gender')} AS gender,
       p.bib_num AS bib_number, (p.address->>'city')::varchar AS city, (p.address->>'state')::varchar AS state,
       coalesce(p.age, ${ageOn('p.dob', 'coalesce(e.age_calc_base_date, e.start_time)')}) AS age,
       p.dob AS date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used
FROM runsignup_participants p
LEFT JOIN runsignup_events e ON e.event_id = p.event_id AND e.timing_partner_id = p.timing_partner_id
WHERE ${visible('p')}
UNION ALL
SELECT 'chronotrack', p.timing_partner_id, p.event_id, p.entry_id,
       p.athlete_first_name, p.athlete_last_name, p.athlete_email,
       coalesce(p.athlete_mobile_phone, p.athlete_home_phone), ${gender('p.athlete_sex')},
       p.entry_bib, p.location->>'city', p.location->>'region',
       coalesce(p.entry_race_age, ${ageOn('p.athlete_birthdate', 'e.event_start_time')}),
       p.athlete_birthdate, p.team_name, NULL, p.created_at, p.credentials_used
FROM ct_participants p
LEFT JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = p.timing_partner_id
WHERE ${visible('p')}
UNION ALL
SELECT 'raceroster', p.timing_partner_id, p.event_id::varchar, p.registration_id::varchar,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, p.address->>'city', p.address->>'region',
       ${ageOn('p.date_of_birth', 'e.start_date')},
       p.date_of_birth, p.team_name, p.registration_date, p.fetched_date, p.credentials_used
FROM raceroster_participants p
LEFT JOIN raceroster_events e
  ON e.event_id = p.event_id AND e.race_id = p.race_id AND e.timing_partner_id = p.timing_partner_id
WHERE ${visible('p')}
UNION ALL
SELECT 'copernico', p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, NULL, NULL, ${gender('p.gender')},
       p.bib_number, NULL, NULL,
       ${ageOn('p.date_of_birth', 'e.event_date')},
       p.date_of_birth, p.club_team, NULL, p.fetched_date, p.credentials_used
FROM copernico_participants p
LEFT JOIN copernico_events e ON e.event_id = p.event_id AND e.timing_partner_id = p.timing_partner_id
WHERE ${visible('p')}
UNION ALL
SELECT 'haku', p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, p.city, p.state,
       ${ageOn('p.date_of_birth', 'e.start_date')},
       p.date_of_birth, p.team_affiliation, p.registration_date, p.fetched_date, p.credentials_used
FROM haku_participants p
LEFT JOIN haku_events e ON e.event_id = p.event_id AND e.timing_partner_id = p.timing_partner_id
WHERE ${visible('p')}
UNION ALL
-- Walk-ups registered at the venue, joined to the provider event they run in.
SELECT 'local', p.timing_partner_id, p.event_id, p.participant_id,
       p.first_name, p.last_name, p.email, p.phone, ${gender('p.gender')},
       p.bib_number, p.city, p.state,
       ${ageOn('p.date_of_birth', 'ue.event_date')},
       p.date_of_birth, p.team_name, p.created_at, p.updated_at, NULL
FROM local_participants p
LEFT JOIN LATERAL (
  SELECT coalesce(
    (SELECT start_time FROM runsignup_events WHERE p.source_provider = 'runsignup' AND event_id::varchar = p.event_id AND timing_partner_id = p.timing_partner_id),
    (SELECT event_start_time FROM ct_events WHERE p.source_provider = 'chronotrack' AND event_id = p.event_id AND timing_partner_id = p.timing_partner_id),
    (SELECT min(start_date) FROM raceroster_events WHERE p.source_provider = 'raceroster' AND event_id::varchar = p.event_id AND timing_partner_id = p.timing_partner_id),
    (SELECT event_date FROM copernico_events WHERE p.source_provider = 'copernico' AND event_id = p.event_id AND timing_partner_id = p.timing_partner_id),
    (SELECT start_date FROM haku_events WHERE p.source_provider = 'haku' AND event_id = p.event_id AND timing_partner_id = p.timing_partner_id)
  ) AS event_date
) ue ON true
WHERE ${visible('p')};

CREATE VIEW unified_results AS
SELECT 'chronotrack'::varchar AS source_provider, r.timing_partner_id, r.event_id,
       r.entry_id AS participant_id, r.results_bib AS bib_number,
       r.results_first_name AS first_name, r.results_last_name AS last_name,
       ${gender('r.results_sex')} AS gender, r.results_age AS age,
       r.results_time::varchar AS results_time, r.results_gun_time::varchar AS results_gun_time,
       r.results_rank AS overall_place,
       CASE upper(p.entry_status)
         WHEN 'FIN' THEN 'finished' WHEN 'DNF' THEN 'dnf' WHEN 'DNS' THEN 'dns' WHEN 'DQ' THEN 'dq'
         ELSE CASE WHEN r.results_time IS NOT NULL THEN 'finished' END
       END::varchar AS status,
       r.created_at AS fetched_date
FROM ct_results r
LEFT JOIN ct_participants p ON p.entry_id = r.entry_id AND p.timing_partner_id = r.timing_partner_id
WHERE ${visible('r')}
UNION ALL
SELECT 'copernico', r.timing_partner_id, r.event_id, r.participant_id, r.bib_number,
       r.first_name, r.last_name, ${gender('p.gender')},
       ${ageOn('p.date_of_birth', 'e.event_date')},
       r.total_time::varchar, coalesce(r.gun_time, r.total_time)::varchar, r.overall_position,
       CASE lower(r.status)
         WHEN 'finished' THEN 'finished'
         WHEN 'dnf' THEN 'dnf' WHEN 'retired' THEN 'dnf' WHEN 'withdrawn' THEN 'dnf' WHEN 'abandoned' THEN 'dnf'
         WHEN 'dns' THEN 'dns'
         WHEN 'dq' THEN 'dq' WHEN 'dsq' THEN 'dq' WHEN 'disqualified' THEN 'dq'
         ELSE lower(r.status)
       END,
       r.fetched_date
FROM copernico_results r
LEFT JOIN copernico_participants p
  ON p.event_id = r.event_id AND p.participant_id = r.participant_id AND p.timing_partner_id = r.timing_partner_id
LEFT JOIN copernico_events e ON e.event_id = r.event_id AND e.timing_partner_id = r.timing_partner_id
WHERE ${visible('r')}
UNION ALL
-- The crew's own timing (results module), for the provider event it timed.
SELECT 'crew', r.timing_partner_id, r.event_id, r.participant_id, r.bib_number,
       r.first_name, r.last_name, ${gender('r.gender')}, r.age,
       (r.chip_time_ms * interval '1 millisecond')::varchar,
       (r.gun_time_ms * interval '1 millisecond')::varchar,
       r.overall_place,
       CASE r.status WHEN 'FIN' THEN 'finished' WHEN 'DNF' THEN 'dnf' WHEN 'DNS' THEN 'dns' WHEN 'DQ' THEN 'dq' END,
       r.updated_at
FROM crew_results r
WHERE ${visible('r')};

CREATE VIEW participant_field_values AS
SELECT DISTINCT ON (c.timing_partner_id, c.source_provider, c.event_id, c.participant_id, c.field)
       c.timing_partner_id, c.source_provider, c.event_id, c.participant_id, c.field,
       c.new_value AS value, c.changed_at, c.change_id, c.station_name
FROM participant_changes c
WHERE c.kind IN ('bib_change', 'edit') AND c.field IS NOT NULL AND ${visible('c')}
ORDER BY c.timing_partner_id, c.source_provider, c.event_id, c.participant_id, c.field,
         c.changed_at COLLATE "C" DESC, c.change_id COLLATE "C" DESC;

CREATE VIEW participant_check_ins AS
SELECT DISTINCT ON (c.timing_partner_id, c.source_provider, c.event_id, c.participant_id)
       c.timing_partner_id, c.source_provider, c.event_id, c.participant_id,
       c.kind = 'check_in' AS checked_in, c.changed_at, c.change_id, c.station_name
FROM participant_changes c
WHERE c.kind IN ('check_in', 'undo_check_in') AND ${visible('c')}
ORDER BY c.timing_partner_id, c.source_provider, c.event_id, c.participant_id,
         c.changed_at COLLATE "C" DESC, c.change_id COLLATE "C" DESC;

GRANT SELECT ON ${unifiedViewNames.join(', ')} TO racedesk_partner;
`;
}

export const unifiedViews: HubMigration = {
  version: 4,
  name: 'unified-views',
  up: unifiedViewsSql(ownFilter),
};
