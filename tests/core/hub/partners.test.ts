import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner, type NewPartner } from '../../../src-main/core/hub/partners.ts';
import { loginUrl, query } from './hub-test-kit.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

async function hubWithTwoPartners() {
  const adminUrl = await server.createDatabase();
  await migrateHub({ url: adminUrl });
  const a = await addPartner({ url: adminUrl }, 'Acme Timing');
  const b = await addPartner({ url: adminUrl }, 'Beta Racing');
  // Rows of both partners, written by the admin (as a migration from the old hub would).
  await query(adminUrl, `
    INSERT INTO ct_events (event_id, event_name, timing_partner_id) VALUES ('EA', 'A race', ${a.timing_partner_id}), ('EB', 'B race', ${b.timing_partner_id});
    INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, timing_partner_id)
      VALUES ('NA', 'EA', 'Ann', ${a.timing_partner_id}), ('NB', 'EB', 'Ben', ${b.timing_partner_id});
    INSERT INTO participant_changes (timing_partner_id, change_id, source_provider, event_id, participant_id, kind, station_name, changed_at)
      VALUES (${a.timing_partner_id}, 'ca', 'chronotrack', 'EA', 'NA', 'check_in', 'Desk', '2025-06-14T08:00:00.000Z'),
             (${b.timing_partner_id}, 'cb', 'chronotrack', 'EB', 'NB', 'check_in', 'Desk', '2025-06-14T08:00:00.000Z');
  `);
  return { adminUrl, a, b };
}

async function asPartner<T>(adminUrl: string, partner: NewPartner, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: loginUrl(adminUrl, partner.role, partner.password) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('timing partners on the hub', () => {
  it('add-partner creates the partner row and a login role mapped to it', async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    expect(partner).toEqual({ timing_partner_id: 1, role: expect.stringMatching(/^racedesk_p1_[0-9a-f]{6}$/), password: expect.any(String) });
    expect(partner.password.length).toBeGreaterThanOrEqual(24);
    const me = await asPartner(adminUrl, partner, (c) => c.query(`SELECT current_user AS role, hub_current_partner_id() AS id`));
    expect(me.rows).toEqual([{ role: partner.role, id: 1 }]);
    await expect(addPartner({ url: adminUrl }, 'acme timing')).rejects.toThrow(/already exists on the hub \(id 1\)/);
  });

  it('refuses to add a partner on a hub that was not migrated', async () => {
    const adminUrl = await server.createDatabase();
    await expect(addPartner({ url: adminUrl }, 'Acme Timing')).rejects.toThrow(/run racedesk hub migrate/);
  });

  it("keeps partner A's role away from partner B's rows, whatever SQL it sends", async () => {
    const { adminUrl, a, b } = await hubWithTwoPartners();
    await asPartner(adminUrl, a, async (client) => {
      // Reading: tables and views show only A's rows.
      expect((await client.query(`SELECT entry_id FROM ct_participants`)).rows).toEqual([{ entry_id: 'NA' }]);
      expect((await client.query(`SELECT event_id FROM unified_events`)).rows).toEqual([{ event_id: 'EA' }]);
      expect((await client.query(`SELECT participant_id FROM unified_participants`)).rows).toEqual([{ participant_id: 'NA' }]);
      expect((await client.query(`SELECT change_id FROM participant_changes`)).rows).toEqual([{ change_id: 'ca' }]);
      expect((await client.query(`SELECT participant_id FROM participant_check_ins`)).rows).toEqual([{ participant_id: 'NA' }]);
      expect((await client.query(`SELECT timing_partner_id FROM timing_partners`)).rows).toEqual([{ timing_partner_id: a.timing_partner_id }]);
      expect((await client.query(`SELECT role_name FROM hub_partner_roles`)).rows).toEqual([{ role_name: a.role }]);
      // Updating and deleting B's rows touches nothing.
      expect((await client.query(`UPDATE ct_participants SET athlete_first_name = 'X' WHERE entry_id = 'NB'`)).rowCount).toBe(0);
      expect((await client.query(`DELETE FROM ct_participants WHERE timing_partner_id = ${b.timing_partner_id}`)).rowCount).toBe(0);
      expect((await client.query(`DELETE FROM participant_changes`)).rowCount).toBe(1);
      // Writing rows for B, or moving A's rows to B, is refused.
      await expect(
        client.query(`INSERT INTO ct_events (event_id, event_name, timing_partner_id) VALUES ('EX', 'Forged', ${b.timing_partner_id})`),
      ).rejects.toThrow(/row-level security/);
      await expect(client.query(`UPDATE ct_events SET timing_partner_id = ${b.timing_partner_id} WHERE event_id = 'EA'`)).rejects.toThrow(
        /row-level security/,
      );
      // Its own rows it can write.
      await client.query(`INSERT INTO ct_events (event_id, event_name, timing_partner_id) VALUES ('EA2', 'Another', ${a.timing_partner_id})`);
      // Switching to the shared group role gives no way around the policies.
      await client.query(`SET ROLE racedesk_partner`);
      expect((await client.query(`SELECT count(*)::int AS n FROM ct_participants`)).rows).toEqual([{ n: 0 }]);
      expect((await client.query(`SELECT count(*)::int AS n FROM unified_participants`)).rows).toEqual([{ n: 0 }]);
      await client.query(`RESET ROLE`);
      // Nor can it change its mapping or the partner list.
      await expect(client.query(`UPDATE hub_partner_roles SET timing_partner_id = ${b.timing_partner_id}`)).rejects.toThrow(/permission denied/);
      await expect(client.query(`INSERT INTO timing_partners (company_name) VALUES ('Mine')`)).rejects.toThrow(/permission denied/);
    });
    // B's rows are untouched; the admin still sees everyone in the views.
    expect(await query(adminUrl, `SELECT entry_id, athlete_first_name FROM ct_participants WHERE timing_partner_id = ${b.timing_partner_id}`)).toEqual([
      { entry_id: 'NB', athlete_first_name: 'Ben' },
    ]);
    expect(await query(adminUrl, `SELECT change_id FROM participant_changes ORDER BY 1`)).toEqual([{ change_id: 'cb' }]);
    expect(await query(adminUrl, `SELECT event_id FROM unified_events ORDER BY 1`)).toEqual([{ event_id: 'EA' }, { event_id: 'EA2' }, { event_id: 'EB' }]);
  });
});
