import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';
import { seedEvent, eventId } from './seed.ts';

let server: TestPostgres;
let core: TestCore;

beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => server?.stop());
afterEach(() => core?.cleanup());

async function hubQuery<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('crew results reach the hub', () => {
  it('uploads each result exactly once and replaces places when they are recomputed', async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    const partnerUrl = new URL(adminUrl);
    partnerUrl.username = partner.role;
    partnerUrl.password = '';
    const connection = { url: partnerUrl.toString(), password: partner.password };

    core = createTestCore();
    updateSettings(core.settings, (s) => ({ ...s, partner: { id: partner.timing_partner_id, name: 'Acme Timing' } }));
    seedEvent(core.db);
    const file = 'Bib,Chip Time,Gun Time,Status\n101,40:10.4,40:30,\n102,41:00,41:20,\n103,41:00,41:05,\n105,,,DNF\n';
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: file });

    const hubResults = () =>
      hubQuery<{ bib_number: string; chip_time_ms: string | null; overall_place: number | null; status: string; timing_partner_id: number }>(
        adminUrl,
        `SELECT bib_number, chip_time_ms, overall_place, status, timing_partner_id FROM crew_results ORDER BY bib_number`,
      );

    await pushPendingChanges(core.db, { connection, partnerId: partner.timing_partner_id });
    expect(await hubResults()).toEqual([
      { bib_number: '101', chip_time_ms: '2410400', overall_place: 1, status: 'FIN', timing_partner_id: partner.timing_partner_id },
      { bib_number: '102', chip_time_ms: '2460000', overall_place: 2, status: 'FIN', timing_partner_id: partner.timing_partner_id },
      { bib_number: '103', chip_time_ms: '2460000', overall_place: 2, status: 'FIN', timing_partner_id: partner.timing_partner_id },
      { bib_number: '105', chip_time_ms: null, overall_place: null, status: 'DNF', timing_partner_id: partner.timing_partner_id },
    ]);

    // Importing the same file again and pushing again changes nothing on the hub.
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: file });
    expect(await pushPendingChanges(core.db, { connection, partnerId: partner.timing_partner_id })).toMatchObject({ rows: 0, pending: 0 });
    expect(await hubResults()).toHaveLength(4);

    // Placing by gun time breaks the 102/103 tie (41:20 vs 41:05): only 102's places change, and
    // the hub's row is replaced, not added to.
    await call(core, 'results.settings.set', { event: eventId, placeBy: 'gun' });
    expect(await pushPendingChanges(core.db, { connection, partnerId: partner.timing_partner_id })).toMatchObject({ rows: 1, pending: 0 });
    expect((await hubResults()).map((r) => [r.bib_number, r.overall_place])).toEqual([
      ['101', 1],
      ['102', 3],
      ['103', 2],
      ['105', null],
    ]);

    // The partner sees the crew's results in the hub's unified_results.
    const unified = await hubQuery<{ source_provider: string; results_time: string; overall_place: number }>(
      connection.url.replace(`${partner.role}@`, `${partner.role}:${encodeURIComponent(partner.password)}@`),
      `SELECT source_provider, results_time, overall_place FROM unified_results WHERE source_provider = 'crew' AND bib_number = '101'`,
    );
    expect(unified).toEqual([{ source_provider: 'crew', results_time: '0:40:10.400', overall_place: 1 }]);
  });
});
