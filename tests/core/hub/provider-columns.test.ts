import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { partnerHub, query } from './hub-test-kit.ts';
import { laptopsClosedAfterEach } from './laptop-kit.ts';

// Provider columns added after the seed reach the hub through a partner login: hub migrations 0013 (ChronoTrack places) and 0014 (RunSignUp distance unit).
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});
const openLaptop = laptopsClosedAfterEach();

async function hubAndLaptop() {
  const { adminUrl, partner, url } = await partnerHub(server);
  return { adminUrl, partner, connection: { url, password: partner.password }, laptop: openLaptop() };
}

describe('hub provider columns', () => {
  it('stores the ChronoTrack places a partner pushes, and updates them on a later push', async () => {
    const { adminUrl, partner, connection, laptop } = await hubAndLaptop();
    const row = { event_id: '90412', entry_id: '51100231', results_time: '01:28:03.9', results_rank: 12, results_gender_rank: 9, results_age_group_rank: 3 };
    upsertRows(laptop.db, 'ct_events', ['event_id'], [{ event_id: '90412', event_name: 'Riverbend Half Marathon 2025' }]);
    upsertRows(laptop.db, 'ct_results', ['event_id', 'entry_id'], [row]);
    await pushPendingChanges(laptop.db, { connection, partnerId: partner.timing_partner_id });
    upsertRows(laptop.db, 'ct_results', ['event_id', 'entry_id'], [{ ...row, results_age_group_rank: 2 }]);
    await pushPendingChanges(laptop.db, { connection, partnerId: partner.timing_partner_id });
    expect(await query(adminUrl, `SELECT entry_id, results_rank, results_gender_rank, results_age_group_rank FROM ct_results`)).toEqual([
      { entry_id: '51100231', results_rank: 12, results_gender_rank: 9, results_age_group_rank: 2 },
    ]);
  });

  it('stores the unit of a RunSignUp distance', async () => {
    const { adminUrl, partner, connection, laptop } = await hubAndLaptop();
    upsertRows(laptop.db, 'runsignup_events', ['event_id'], [
      { event_id: 902311, race_id: 148210, name: '5K', distance: 5, distance_unit: 'km' },
      { event_id: 902312, race_id: 148210, name: 'Fun Run', distance: 3.1, distance_unit: 'mi' },
    ]);
    await pushPendingChanges(laptop.db, { connection, partnerId: partner.timing_partner_id });
    expect(await query(adminUrl, `SELECT event_id, distance::float AS distance, distance_unit FROM runsignup_events ORDER BY event_id`)).toEqual([
      { event_id: 902311, distance: 5, distance_unit: 'km' },
      { event_id: 902312, distance: 3.1, distance_unit: 'mi' },
    ]);
  });
});
