import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../../helpers/postgres.ts';
import { migrateHub } from '../../../../src-main/core/hub/migrate.ts';
import { hubMigrations } from '../../../../src-main/core/hub/migrations/index.ts';
import { addPartner, type NewPartner } from '../../../../src-main/core/hub/partners.ts';
import { loginUrl, query } from '../hub-test-kit.ts';

// A ChronoTrack result's status comes from its entry's entry_status, kept on the result (hub migration 0030).
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

async function asPartner<T>(adminUrl: string, partner: NewPartner, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: loginUrl(adminUrl, partner.role, partner.password) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const statusesSql = `SELECT participant_id, status FROM unified_results ORDER BY participant_id`;
const statuses = async (client: pg.Client) => (await client.query<{ participant_id: string; status: string | null }>(statusesSql)).rows;

describe('hub migration 0030: a ChronoTrack result keeps its entry status', () => {
  it('fills the status of the results already on the hub, without making laptops pull them again', async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl }, hubMigrations.filter((m) => m.version < 30));
    const id = 1;
    await query(adminUrl, `
      INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (${id}, 'Acme Timing');
      INSERT INTO ct_participants (entry_id, event_id, entry_status, timing_partner_id) VALUES ('N1', 'E1', 'DNF', ${id}), ('N2', 'E1', 'CONF', ${id});
      INSERT INTO ct_results (event_id, entry_id, results_time, timing_partner_id)
        VALUES ('E1', 'N1', NULL, ${id}), ('E1', 'N2', '0:40:00', ${id}), ('E1', 'N3', NULL, ${id});
    `);
    const before = await query(adminUrl, `SELECT entry_id, change_seq FROM ct_results ORDER BY entry_id`);

    await migrateHub({ url: adminUrl });

    expect(await query(adminUrl, `SELECT entry_id, participant_status FROM ct_results ORDER BY entry_id`)).toEqual([
      { entry_id: 'N1', participant_status: 'DNF' },
      { entry_id: 'N2', participant_status: 'CONF' },
      { entry_id: 'N3', participant_status: null },
    ]);
    expect(await query(adminUrl, `SELECT entry_id, change_seq FROM ct_results ORDER BY entry_id`)).toEqual(before);
    expect(await query(adminUrl, statusesSql)).toEqual([
      { participant_id: 'N1', status: 'dnf' },
      { participant_id: 'N2', status: 'finished' },
      { participant_id: 'N3', status: null },
    ]);
  });

  it("follows the entry as a partner adds, changes and removes it, in whichever order entry and result arrive", async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    const other = await addPartner({ url: adminUrl }, 'Beta Racing');
    const id = partner.timing_partner_id;
    await asPartner(adminUrl, other, (client) =>
      client.query(`INSERT INTO ct_participants (entry_id, event_id, entry_status, timing_partner_id) VALUES ('N1', 'E1', 'DQ', ${other.timing_partner_id})`),
    );
    await asPartner(adminUrl, partner, async (client) => {
      await client.query(`INSERT INTO ct_results (event_id, entry_id, results_time, timing_partner_id) VALUES ('E1', 'N1', '0:40:00', ${id}), ('E1', 'N2', NULL, ${id})`);
      // The other partner's entry with the same id is not this result's.
      expect(await statuses(client)).toEqual([
        { participant_id: 'N1', status: 'finished' },
        { participant_id: 'N2', status: null },
      ]);

      await client.query(`INSERT INTO ct_participants (entry_id, event_id, entry_status, timing_partner_id) VALUES ('N1', 'E1', 'DNF', ${id}), ('N2', 'E1', 'DNS', ${id})`);
      expect(await statuses(client)).toEqual([
        { participant_id: 'N1', status: 'dnf' },
        { participant_id: 'N2', status: 'dns' },
      ]);

      // An upsert that leaves the status as it was rewrites no result; one that changes it, only that entry's.
      const seq = async () => (await client.query<{ entry_id: string; change_seq: string }>(`SELECT entry_id, change_seq FROM ct_results ORDER BY entry_id`)).rows;
      const before = await seq();
      await client.query(`
        INSERT INTO ct_participants (entry_id, event_id, entry_status, athlete_first_name, timing_partner_id)
        VALUES ('N1', 'E1', 'DNF', 'Ana', ${id}), ('N2', 'E1', 'CONF', 'Bo', ${id})
        ON CONFLICT (timing_partner_id, entry_id) DO UPDATE SET entry_status = EXCLUDED.entry_status, athlete_first_name = EXCLUDED.athlete_first_name`);
      const after = await seq();
      expect(after[0]).toEqual(before[0]);
      expect(after[1].change_seq).not.toBe(before[1].change_seq);
      expect(await statuses(client)).toEqual([
        { participant_id: 'N1', status: 'dnf' },
        { participant_id: 'N2', status: null },
      ]);

      // Written by hand, the column still shows the entry's status.
      await client.query(`UPDATE ct_results SET participant_status = 'DQ' WHERE entry_id = 'N1'`);
      await client.query(`DELETE FROM ct_participants WHERE entry_id = 'N2'`);
      await client.query(`INSERT INTO ct_results (event_id, entry_id, results_time, timing_partner_id) VALUES ('E2', 'N1', NULL, ${id})`);
      expect((await client.query(`SELECT event_id, entry_id, participant_status FROM ct_results ORDER BY event_id, entry_id`)).rows).toEqual([
        { event_id: 'E1', entry_id: 'N1', participant_status: 'DNF' },
        { event_id: 'E1', entry_id: 'N2', participant_status: null },
        { event_id: 'E2', entry_id: 'N1', participant_status: 'DNF' },
      ]);
    });
    // The other partner's entry with the same id gave its status to none of these results.
    expect(await query(adminUrl, `SELECT count(*)::int AS n FROM ct_results WHERE participant_status = 'DQ'`)).toEqual([{ n: 0 }]);
  });
});
