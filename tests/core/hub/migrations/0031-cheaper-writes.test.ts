import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../../helpers/postgres.ts';
import { migrateHub } from '../../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../../src-main/core/hub/partners.ts';
import { loginUrl, query } from '../hub-test-kit.ts';

/*
 * Migration 31 takes a partner's change clock once per transaction instead of once per row. What
 * the pull relies on must still hold: while one transaction has written a partner's rows, no
 * other may stamp rows of that partner until it ends, and a rolled-back savepoint gives the clock
 * back (so the next row of the transaction takes it again).
 */
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

async function partnerHub() {
  const adminUrl = await server.createDatabase();
  await migrateHub({ url: adminUrl });
  const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
  await query(adminUrl, `INSERT INTO runsignup_events (event_id, race_id, name, timing_partner_id) VALUES (11, 1, '5K', $1)`, [partner.timing_partner_id]);
  const connect = async () => {
    const client = new pg.Client({ connectionString: loginUrl(adminUrl, partner.role, partner.password) });
    await client.connect();
    return client;
  };
  return { adminUrl, partner, connect };
}

const insert = (client: pg.Client, partnerId: number, registrationId: number) =>
  client.query(`INSERT INTO runsignup_participants (race_id, event_id, registration_id, timing_partner_id) VALUES (1, 11, $1, $2)`, [registrationId, partnerId]);

/** Whether `client` can stamp a row of the partner now: a lock wait fails at once instead of waiting. */
async function canStamp(client: pg.Client, partnerId: number, registrationId: number): Promise<boolean> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = '1ms'`);
    await insert(client, partnerId, registrationId);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return false;
    throw error;
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('hub migration 31: the change clock once per transaction', () => {
  it('keeps a partner’s writers one transaction after another, and numbers every row of a transaction in order', async () => {
    const { adminUrl, partner, connect } = await partnerHub();
    const [first, second] = [await connect(), await connect()];
    try {
      const id = partner.timing_partner_id;
      expect(await canStamp(second, id, 900)).toBe(true);

      await first.query('BEGIN');
      for (const registrationId of [1, 2, 3]) await insert(first, id, registrationId);
      expect(await canStamp(second, id, 901)).toBe(false);
      await first.query('COMMIT');
      expect(await canStamp(second, id, 902)).toBe(true);
      // The next transaction of the same session takes the clock afresh.
      await first.query('BEGIN');
      await insert(first, id, 4);
      expect(await canStamp(second, id, 903)).toBe(false);
      await first.query('COMMIT');

      const stamped = await query<{ registration_id: number; change_seq: string }>(
        adminUrl,
        `SELECT registration_id, change_seq FROM runsignup_participants ORDER BY change_seq`,
      );
      expect(stamped.map((row) => row.registration_id)).toEqual([1, 2, 3, 4]);
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('takes the clock again after a savepoint that held it was rolled back', async () => {
    const { partner, connect } = await partnerHub();
    const [first, second] = [await connect(), await connect()];
    try {
      const id = partner.timing_partner_id;
      await first.query('BEGIN');
      await first.query('SAVEPOINT attempt');
      await insert(first, id, 1);
      expect(await canStamp(second, id, 901)).toBe(false);
      await first.query('ROLLBACK TO SAVEPOINT attempt');
      expect(await canStamp(second, id, 902)).toBe(true);

      await insert(first, id, 2);
      expect(await canStamp(second, id, 903)).toBe(false);
      await first.query('ROLLBACK');
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('stamps each row with the laptop its transaction names, and with none when it names none', async () => {
    const { adminUrl, partner, connect } = await partnerHub();
    const client = await connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_catalog.set_config('racedesk.laptop_id', 'laptop-1', true)`);
      await insert(client, partner.timing_partner_id, 7);
      await client.query('COMMIT');
      await insert(client, partner.timing_partner_id, 8);
    } finally {
      await client.end();
    }
    const rows = await query(adminUrl, `SELECT registration_id, changed_by, change_seq IS NOT NULL AS stamped FROM runsignup_participants ORDER BY registration_id`);
    expect(rows).toEqual([
      { registration_id: 7, changed_by: 'laptop-1', stamped: true },
      { registration_id: 8, changed_by: null, stamped: true },
    ]);
  });
});
