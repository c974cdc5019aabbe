import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { pendingChangeCount } from '../../../src-main/core/hub/outbox.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { writeCrewResult } from '../../../src-main/core/results/crew-results-store.ts';
import type { Db } from '../../../src-main/core/store/database.ts';
import { loginUrl, query } from '../hub/hub-test-kit.ts';

/*
 * The laptop's and the hub's unified views must say the same thing about the same rows. The rows
 * go into the laptop's SQLite the way the app writes them (provider tables, crew results, a walk-up
 * and a check-in through the API), reach the hub's PostgreSQL through the real push, and every
 * unified_* view is compared row for row on the hub's columns.
 */
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});
let core: TestCore | undefined;
afterEach(() => core?.cleanup());

function loadEveryProvider(db: Db): void {
  const fetched = '2026-06-01T10:00:00.000Z';
  db.transaction(() => {
    upsertRows(db, 'runsignup_events', ['event_id'], [
      { event_id: 1, race_id: 9, name: '5K', race_name: 'City Run 2026', start_time: '2026-06-14T08:00:00.000Z', fetched_date: fetched },
      { event_id: 2, race_id: 9, name: 'Kids', race_name: 'City Run 2026', start_time: '2026-06-14T09:00:00.000Z', age_calc_base_date: '2026-12-31', fetched_date: fetched },
    ]);
    upsertRows(db, 'runsignup_participants', ['registration_id'], [
      { registration_id: 101, race_id: 9, event_id: 1, first_name: 'Ana', last_name: 'Peña', gender: 'female', dob: '1990-06-15', bib_num: '7', address: JSON.stringify({ city: 'Bend', state: 'OR' }), email: 'ana@example.com', phone: '541-555-0101', registration_date: '2026-01-05T12:00:00.000Z', fetched_date: fetched },
      { registration_id: 102, race_id: 9, event_id: 2, first_name: 'Bo', last_name: "O'Brien", gender: 'M', dob: '2015-03-01', age: 11, bib_num: '8', fetched_date: fetched },
      { registration_id: 103, race_id: 9, event_id: 2, first_name: 'Cy', last_name: 'Lee', gender: 'Non-binary', dob: '2016-12-31', bib_num: '9', fetched_date: fetched },
    ]);
    upsertRows(db, 'ct_events', ['event_id'], [{ event_id: 'CT-1', event_name: 'Riverbend Half', event_start_time: '2026-10-18T12:00:00.000Z', event_date: '2026-10-18' }]);
    upsertRows(db, 'ct_participants', ['entry_id'], [
      { entry_id: 'E1', event_id: 'CT-1', athlete_first_name: 'Oskar', athlete_last_name: 'Berg', athlete_sex: 'M', athlete_birthdate: '1985-10-19', entry_bib: '12', entry_status: 'DNF', location: JSON.stringify({ city: 'Peoria', region: 'IL' }) },
      { entry_id: 'E2', event_id: 'CT-1', athlete_first_name: 'Bea', athlete_sex: 'F', athlete_birthdate: '1985-10-18', entry_race_age: 41, entry_bib: '13', entry_status: 'CONF', athlete_home_phone: '309-555-0102' },
      { entry_id: 'E3', event_id: 'CT-1', athlete_first_name: 'Dee', athlete_sex: 'W', entry_bib: '14', entry_status: 'DQ' },
    ]);
    upsertRows(db, 'ct_results', ['event_id', 'entry_id'], [
      { event_id: 'CT-1', entry_id: 'E1', results_bib: '12', results_first_name: 'Oskar', results_sex: 'M', results_time: null },
      { event_id: 'CT-1', entry_id: 'E2', results_bib: '13', results_first_name: 'Bea', results_sex: 'F', results_age: 41, results_time: '1:35:47.200', results_gun_time: '1:35:50.000', results_rank: 1, results_gender_rank: 1, results_age_group_rank: 1 },
      { event_id: 'CT-1', entry_id: 'E3', results_bib: '14', results_sex: 'F', results_time: '1:50:00.000', results_rank: 2, results_gender_rank: 2, results_age_group_rank: 4 },
    ]);
    upsertRows(db, 'raceroster_events', ['event_id', 'race_id'], [
      { event_id: 5, race_id: 50, name: 'Lakeshore Tri › Sprint', start_date: '2026-07-01T12:00:00.000Z', location_name: 'Chicago', fetched_date: fetched },
      { event_id: 5, race_id: 51, name: 'Lakeshore Tri › Relay', start_date: '2026-07-01T13:00:00.000Z', location_name: 'Chicago', fetched_date: fetched },
    ]);
    upsertRows(db, 'raceroster_participants', ['registration_id'], [
      { registration_id: 501, event_id: 5, race_id: 50, first_name: 'Eve', last_name: 'Nakamura', gender: 'Female', date_of_birth: '1979-07-01', bib_number: '201', address: JSON.stringify({ city: 'Evanston', region: 'IL' }), registration_date: '2026-02-01T00:00:00.000Z', fetched_date: fetched },
      { registration_id: 502, event_id: 5, race_id: 51, first_name: 'Finn', gender: 'x', date_of_birth: '1979-07-02', bib_number: '202', fetched_date: fetched },
    ]);
    upsertRows(db, 'copernico_events', ['event_id'], [{ event_id: 'rio:21K', event_name: 'Media Maratón › 21K', event_date: '2026-11-15T08:00:00.000Z', fetched_date: fetched }]);
    upsertRows(db, 'copernico_participants', ['event_id', 'participant_id'], [
      { event_id: 'rio:21K', participant_id: 'A', first_name: 'Lucía', last_name: 'Gómez', gender: 'F', date_of_birth: '1992-11-16', bib_number: '3', club_team: 'CA Marbella', fetched_date: fetched },
      { event_id: 'rio:21K', participant_id: 'B', first_name: 'Raúl', gender: 'M', date_of_birth: '1992-11-15', bib_number: '4', fetched_date: fetched },
      { event_id: 'rio:21K', participant_id: 'C', first_name: 'Iker', gender: 'X', bib_number: '5', fetched_date: fetched },
    ]);
    upsertRows(db, 'copernico_results', ['event_id', 'participant_id'], [
      { event_id: 'rio:21K', participant_id: 'A', bib_number: '3', first_name: 'Lucía', total_time: '1:18:21.730', gun_time: '1:18:22.330', overall_position: 1, category_position: 3, status: 'finished', fetched_date: fetched },
      // No gun time from Copernico: the views say so rather than showing the net time as the gun time.
      { event_id: 'rio:21K', participant_id: 'B', bib_number: '4', first_name: 'Raúl', total_time: '1:40:00.005', gun_time: null, overall_position: null, status: 'Retired', fetched_date: fetched },
      { event_id: 'rio:21K', participant_id: 'C', bib_number: '5', total_time: null, status: 'notstarted', fetched_date: fetched },
    ]);
    upsertRows(db, 'haku_events', ['event_id'], [{ event_id: 'H-1', event_name: 'Spring 10K', start_date: '2026-04-12T07:30:00.000Z', fetched_date: fetched }]);
    upsertRows(db, 'haku_participants', ['event_id', 'participant_id'], [
      { event_id: 'H-1', participant_id: 'R-1001', first_name: 'Gus', last_name: 'Hale', gender: 'Male', date_of_birth: '2000-04-12', bib_number: '301', city: 'Austin', state: 'TX', team_affiliation: 'Hill Runners', email: 'gus@example.com', registration_date: '2026-03-01T00:00:00.000Z', fetched_date: fetched },
    ]);
    const event = { sourceProvider: 'copernico', eventId: 'rio:21K', eventName: 'Media Maratón › 21K', eventDate: '2026-11-15T08:00:00.000Z' };
    const crew = (participantId: string, chipTimeMs: number | null, gunTimeMs: number | null, status: 'FIN' | 'DNF' | 'DQ', overallPlace: number | null) => ({
      participantId, bibNumber: null, firstName: null, lastName: null, gender: 'F', age: 34, ageGroup: null, chipTimeMs, gunTimeMs,
      splits: {}, status, overallPlace, genderPlace: overallPlace, ageGroupPlace: overallPlace === null ? null : overallPlace + 1, importId: null,
    });
    // The crew's results name runners as the app does: a Copernico runner's id carries its event.
    writeCrewResult(db, event, crew('rio:21K:A', 2_410_400, 2_410_950, 'FIN', 1), null);
    writeCrewResult(db, event, crew('rio:21K:B', 36_000_000 + 61_005, null, 'DNF', null), null);
    writeCrewResult(db, event, crew('rio:21K:C', null, null, 'DQ', null), null);
  })();
}

/** A view's rows on the hub's columns (less timing_partner_id, which the hub sets on every pushed row), comparable across both databases. */
const sortedRows = (rows: Array<Record<string, unknown>>) => rows.map((row) => JSON.stringify(Object.values(row).map(comparable))).sort();

function comparable(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return value;
  // One instant in both spellings: SQLite's ISO text, PostgreSQL's timestamp without zone (UTC on the hub).
  return new Date(/(Z|[+-]\d{2}(:?\d{2})?)$/.test(value) ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`).toISOString();
}

/*
 * The laptop's row in the hub's terms, for the two differences the hub makes on purpose
 * (hub/views.ts): a Haku or Copernico runner's id is the provider's own (the laptop's carries the
 * event, store/runner-id.ts), also in crew results, and a walk-up is 'local'.
 */
const withoutEvent = `substr(participant_id, length(event_id) + 2)`;
const laptopAsHub = (view: string, columns: string[]) => {
  const select = columns.map((column) => {
    if (view === 'unified_results' && column === 'participant_id') {
      return `CASE WHEN source_provider = 'copernico' OR source_provider = 'crew' AND substr(participant_id, 1, length(event_id) + 1) = event_id || ':'
              THEN ${withoutEvent} ELSE participant_id END AS participant_id`;
    }
    if (view !== 'unified_participants') return column;
    if (column === 'source_provider') return `CASE WHEN is_walk_up = 1 THEN 'local' ELSE source_provider END AS source_provider`;
    if (column === 'participant_id') return `CASE WHEN source_provider IN ('haku', 'copernico') AND is_walk_up = 0 THEN ${withoutEvent} ELSE participant_id END AS participant_id`;
    return column;
  });
  return `SELECT ${select.join(', ')} FROM ${view}`;
};

describe('the unified views', () => {
  it('show the same rows on the laptop and on the hub, for every provider, crew results and walk-ups', async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Parity Timing');
    core = createTestCore();
    loadEveryProvider(core.db);
    await call(core, 'pickup.registerWalkUp', { provider: 'haku', eventId: 'H-1', firstName: 'Walk', lastName: 'Up', gender: 'F', dateOfBirth: '1999-04-13', bib: '399' });
    await call(core, 'pickup.checkIn', { provider: 'haku', participantId: 'H-1:R-1001' });
    await pushPendingChanges(core.db, { connection: { url: loginUrl(adminUrl, partner.role, ''), password: partner.password }, partnerId: partner.timing_partner_id });
    expect(pendingChangeCount(core.db)).toBe(0);

    const views = (await query<{ name: string }>(adminUrl, `SELECT table_name AS name FROM information_schema.views WHERE table_schema = 'public' AND table_name LIKE 'unified\\_%' ORDER BY 1`)).map((v) => v.name);
    expect(views).toEqual(['unified_events', 'unified_participants', 'unified_results']);
    for (const view of views) {
      const columns = (
        await query<{ name: string }>(adminUrl, `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [view])
      )
        .map((c) => c.name)
        .filter((name) => name !== 'timing_partner_id');
      const hubRows = (await query<{ row: Record<string, unknown> }>(adminUrl, `SELECT to_jsonb(v) AS row FROM (SELECT ${columns.join(', ')} FROM ${view}) v`)).map((r) =>
        Object.fromEntries(columns.map((c) => [c, r.row[c]])),
      );
      const laptopRows = core.db.prepare(laptopAsHub(view, columns)).all() as Array<Record<string, unknown>>;
      expect(laptopRows.length, view).toBeGreaterThan(2);
      expect({ view, rows: sortedRows(hubRows) }).toEqual({ view, rows: sortedRows(laptopRows) });
    }

    // Gender and age-group places, ChronoTrack's from its SEX and AGE brackets, on both databases.
    const places = `SELECT source_provider, participant_id, overall_place, gender_place, age_group_place FROM unified_results
                    WHERE gender_place IS NOT NULL OR age_group_place IS NOT NULL ORDER BY source_provider, participant_id`;
    const expected = [
      { source_provider: 'chronotrack', participant_id: 'E2', overall_place: 1, gender_place: 1, age_group_place: 1 },
      { source_provider: 'chronotrack', participant_id: 'E3', overall_place: 2, gender_place: 2, age_group_place: 4 },
      { source_provider: 'copernico', participant_id: 'A', overall_place: 1, gender_place: null, age_group_place: 3 },
      { source_provider: 'crew', participant_id: 'A', overall_place: 1, gender_place: 1, age_group_place: 2 },
    ];
    expect(core.db.prepare(places).all()).toEqual(expected.map((row) => (row.participant_id === 'A' ? { ...row, participant_id: 'rio:21K:A' } : row)));
    expect(await query(adminUrl, places)).toEqual(expected);
  });
});
