import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { addPartner, type NewPartner } from '../../../src-main/core/hub/partners.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { laptopId, pendingChangeCount } from '../../../src-main/core/hub/outbox.ts';
import { loginUrl, query, withoutPassword } from './hub-test-kit.ts';
import { hubSnapshot, laptopsClosedAfterEach, localSnapshot, workRound } from './laptop-kit.ts';

/*
 * Every partner login is hostile (issue 13). Each hub here starts with the schema public open to
 * every role, as PostgreSQL 13/14 create it, is migrated by the real `racedesk hub migrate`, and
 * gets two partners from add-partner; the attacks run as partner logins.
 */
let server: TestPostgres;
let dataDir: string;
beforeAll(async () => {
  server = await startTestPostgres();
  dataDir = mkdtempSync(join(tmpdir(), 'racedesk-hostile-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const openLaptop = laptopsClosedAfterEach();

const bin = join(import.meta.dirname, '../../../bin/racedesk.js');

/** The real `racedesk hub migrate`; the admin's password (if any) goes on standard input. */
function racedeskHubMigrate(adminUrl: string, stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [bin, '--data-dir', dataDir, 'hub', 'migrate', '--url', adminUrl], (error, stdout, stderr) =>
      error ? reject(new Error(`racedesk hub migrate failed: ${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(stdin);
  });
}

interface Hub {
  adminUrl: string;
  a: NewPartner;
  b: NewPartner;
}

/** A hub as a 13/14 server leaves it (public open to everyone), migrated, with two partners. */
async function hostileHub(options: { viewsThroughOwner?: boolean } = {}): Promise<Hub> {
  const adminUrl = await server.createDatabase();
  await query(adminUrl, 'GRANT CREATE ON SCHEMA public TO PUBLIC');
  if (options.viewsThroughOwner) {
    const database = new URL(adminUrl).pathname.slice(1);
    await query(adminUrl, `ALTER DATABASE ${database} SET racedesk.views_through_owner = on`);
  }
  const { url, password } = withoutPassword(adminUrl);
  expect(await racedeskHubMigrate(url, password)).toMatch(/the hub is at schema version \d+/);
  const a = await addPartner({ url: adminUrl }, 'Acme Timing');
  const b = await addPartner({ url: adminUrl }, 'Beta Racing');
  return { adminUrl, a, b };
}

async function asPartner<T>(h: Hub, partner: NewPartner, work: (client: pg.Client, notices: string[]) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: loginUrl(h.adminUrl, partner.role, partner.password) });
  const notices: string[] = [];
  client.on('notice', (notice) => notices.push(notice.message ?? ''));
  await client.connect();
  try {
    return await work(client, notices);
  } finally {
    await client.end();
  }
}

/** One row of partner `id` behind every unified view, each carrying `secret` in a text column. */
async function rowsBehindEveryView(adminUrl: string, id: number, secret: string): Promise<void> {
  await query(adminUrl, `
    INSERT INTO runsignup_events (event_id, race_id, name, timing_partner_id) VALUES (11, 1, '${secret}', ${id});
    INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, email, timing_partner_id) VALUES (1, 11, 111, '${secret}', '${secret}@x', ${id});
    INSERT INTO ct_events (event_id, event_name, timing_partner_id) VALUES ('E2', '${secret}', ${id});
    INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, timing_partner_id) VALUES ('N2', 'E2', '${secret}', ${id});
    INSERT INTO ct_results (event_id, entry_id, results_first_name, timing_partner_id) VALUES ('E2', 'N2', '${secret}', ${id});
    INSERT INTO raceroster_events (event_id, race_id, name, timing_partner_id) VALUES (3, 31, '${secret}', ${id});
    INSERT INTO raceroster_participants (event_id, race_id, registration_id, first_name, timing_partner_id) VALUES (3, 31, 333, '${secret}', ${id});
    INSERT INTO copernico_events (event_id, event_name, timing_partner_id) VALUES ('C4', '${secret}', ${id});
    INSERT INTO copernico_participants (event_id, participant_id, first_name, timing_partner_id) VALUES ('C4', 'P4', '${secret}', ${id});
    INSERT INTO copernico_results (event_id, participant_id, first_name, timing_partner_id) VALUES ('C4', 'P4', '${secret}', ${id});
    INSERT INTO haku_events (event_id, event_name, timing_partner_id) VALUES ('H5', '${secret}', ${id});
    INSERT INTO haku_participants (event_id, participant_id, first_name, timing_partner_id) VALUES ('H5', 'R5', '${secret}', ${id});
    INSERT INTO local_participants (timing_partner_id, participant_id, source_provider, event_id, first_name, station_name, created_at, updated_at)
      VALUES (${id}, 'w-1', 'runsignup', '11', '${secret}', 'Desk', now(), now());
    INSERT INTO crew_results (timing_partner_id, source_provider, event_id, participant_id, first_name, status, updated_at)
      VALUES (${id}, 'runsignup', '11', '111', '${secret}', 'FIN', now());
    INSERT INTO participant_changes (timing_partner_id, change_id, source_provider, event_id, participant_id, kind, field, new_value, station_name, changed_at)
      VALUES (${id}, 'c1', 'runsignup', '11', '111', 'edit', 'first_name', '${secret}', '${secret}', '2025-06-14T08:00:00.000Z'),
             (${id}, 'c2', 'runsignup', '11', '111', 'check_in', NULL, NULL, '${secret}', '2025-06-14T08:00:00.000Z');
  `);
}

/** Each view with a text column holding the row's secret. */
const viewColumns = {
  unified_events: 'event_name',
  unified_participants: 'first_name',
  unified_results: 'first_name',
  participant_field_values: 'value',
  participant_check_ins: 'station_name',
};

const leakyPeek = `
  CREATE FUNCTION pg_temp.peek(partner integer, value text) RETURNS boolean
  LANGUAGE plpgsql COST 0.0000001 AS $$ BEGIN RAISE NOTICE 'peek % %', partner, value; RETURN true; END $$`;

describe.each([
  { path: 'security_invoker views (PostgreSQL 15+)', viewsThroughOwner: false },
  { path: 'views owned by racedesk_view_owner (the PostgreSQL 13/14 path)', viewsThroughOwner: true },
])('a hostile partner against the unified views: $path', ({ viewsThroughOwner }) => {
  it("reads none of the other partner's rows through a cheap leaky function, in any unified view", async () => {
    const h = await hostileHub({ viewsThroughOwner });
    await rowsBehindEveryView(h.adminUrl, h.a.timing_partner_id, 'mine');
    await rowsBehindEveryView(h.adminUrl, h.b.timing_partner_id, 'rival-secret');
    await asPartner(h, h.a, async (client, notices) => {
      await client.query(leakyPeek);
      for (const [view, column] of Object.entries(viewColumns)) {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${view} WHERE pg_temp.peek(timing_partner_id, ${column}::text)`);
        expect(rows[0].n, view).toBeGreaterThan(0);
        expect(notices.filter((n) => n.includes('rival-secret')), view).toEqual([]);
        expect(notices.length, view).toBeGreaterThan(0);
        notices.length = 0;
      }
    });
    // The admin still reads every partner's rows through every view.
    for (const view of Object.keys(viewColumns)) {
      const partners = await query(h.adminUrl, `SELECT DISTINCT timing_partner_id AS id FROM ${view} ORDER BY 1`);
      expect(partners, view).toEqual([{ id: h.a.timing_partner_id }, { id: h.b.timing_partner_id }]);
    }
  });
});

describe('racedesk hub migrate', () => {
  it('refuses an admin password on the command line, where ps shows it to everyone', async () => {
    const adminUrl = new URL(await server.createDatabase());
    adminUrl.password = 'on-the-command-line';
    await expect(racedeskHubMigrate(adminUrl.toString())).rejects.toThrow(/Leave the password out of --url.*PGPASSWORD or on standard input/);
  });
});

describe('a hostile partner against the hub schema', () => {
  it('cannot plant lower(varchar) or format_type(oid, text) in public', async () => {
    const h = await hostileHub();
    await asPartner(h, h.a, async (client) => {
      await expect(client.query(`CREATE FUNCTION public.lower(varchar) RETURNS text LANGUAGE sql AS 'SELECT $1::text'`)).rejects.toThrow(
        /permission denied for schema public/,
      );
      await expect(client.query(`CREATE FUNCTION public.format_type(oid, text) RETURNS text LANGUAGE sql AS 'SELECT $2'`)).rejects.toThrow(
        /permission denied for schema public/,
      );
    });
  });

  it('gains nothing from a trojan lower(varchar) planted where someone granted CREATE back: add-partner and migrate refuse to run', async () => {
    const h = await hostileHub();
    await query(h.adminUrl, 'GRANT CREATE ON SCHEMA public TO PUBLIC');
    await asPartner(h, h.a, (client) =>
      client.query(`
        CREATE FUNCTION public.lower(varchar) RETURNS text LANGUAGE plpgsql AS $$
        BEGIN EXECUTE 'ALTER ROLE ${h.a.role} SUPERUSER'; RETURN pg_catalog.lower($1::text); END $$`),
    );
    await expect(addPartner({ url: h.adminUrl }, 'Gamma Timing')).rejects.toThrow(
      new RegExp(`objects a timing partner's login created: function lower\\(character varying\\) \\(owned by ${h.a.role}\\)`),
    );
    await expect(migrateHub({ url: h.adminUrl })).rejects.toThrow(/function lower\(character varying\)/);
    expect(await query(h.adminUrl, `SELECT rolsuper FROM pg_roles WHERE rolname = $1`, [h.a.role])).toEqual([{ rolsuper: false }]);
    expect(await query(h.adminUrl, `SELECT count(*)::int AS n FROM timing_partners`)).toEqual([{ n: 2 }]);
  });

  it("does not run a trojan format_type(oid, text) inside another partner's push", async () => {
    const h = await hostileHub();
    await query(h.adminUrl, 'GRANT CREATE ON SCHEMA public TO PUBLIC');
    await asPartner(h, h.a, (client) =>
      client.query(`
        CREATE FUNCTION public.format_type(oid, text) RETURNS text LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'trojan format_type ran as %', current_user; END $$;
        GRANT EXECUTE ON FUNCTION public.format_type(oid, text) TO PUBLIC`),
    );
    const l = openLaptop();
    workRound(l.db, 1);
    await pushPendingChanges(l.db, { connection: partnerConnection(h, h.b), partnerId: h.b.timing_partner_id });
    expect(pendingChangeCount(l.db)).toBe(0);
  });

  it('cannot connect to a hub database it is no partner of, on the same server', async () => {
    const h = await hostileHub();
    const other = await server.createDatabase();
    await migrateHub({ url: other });
    const stranger = await addPartner({ url: other }, 'Other Hub Timing');
    const client = new pg.Client({ connectionString: loginUrl(h.adminUrl, stranger.role, stranger.password) });
    await expect(client.connect()).rejects.toThrow(/permission denied for database/);
  });
});

const partnerConnection = (h: Hub, partner: NewPartner) => ({ url: loginUrl(h.adminUrl, partner.role, ''), password: partner.password });

describe('a hostile partner against the keys', () => {
  it('two partners pushing the same provider race both succeed, even after one pre-claimed its ids', async () => {
    const h = await hostileHub();
    // Partner A claims the provider ids its rival is about to push.
    await asPartner(h, h.a, (client) =>
      client.query(`
        INSERT INTO runsignup_events (event_id, name, timing_partner_id) VALUES (1, 'claimed', ${h.a.timing_partner_id});
        INSERT INTO ct_participants (entry_id, event_id, timing_partner_id) VALUES ('N0', 'CT-1', ${h.a.timing_partner_id})`),
    );
    const laptopA = openLaptop();
    const laptopB = openLaptop();
    workRound(laptopA.db, 1);
    workRound(laptopB.db, 1);
    await pushPendingChanges(laptopB.db, { connection: partnerConnection(h, h.b), partnerId: h.b.timing_partner_id });
    await pushPendingChanges(laptopA.db, { connection: partnerConnection(h, h.a), partnerId: h.a.timing_partner_id });
    for (const [partner, l] of [[h.a, laptopA], [h.b, laptopB]] as const) {
      expect(pendingChangeCount(l.db)).toBe(0);
      expect(await hubSnapshot(h.adminUrl, partner.timing_partner_id, laptopId(l.db))).toEqual(localSnapshot(l.db));
    }
  });

  it("cannot reference, or cascade into, another partner's rows", async () => {
    const h = await hostileHub();
    const [a, b] = [h.a.timing_partner_id, h.b.timing_partner_id];
    await asPartner(h, h.b, (client) =>
      client.query(`
        INSERT INTO copernico_events (event_id, event_name, timing_partner_id) VALUES ('C1', 'B race', ${b});
        INSERT INTO copernico_participants (event_id, participant_id, first_name, timing_partner_id) VALUES ('C1', 'P1', 'Bea', ${b})`),
    );
    await asPartner(h, h.a, async (client) => {
      // B's event is no parent for A's rows (nor does the error tell A that B holds C1).
      await expect(
        client.query(`INSERT INTO copernico_participants (event_id, participant_id, timing_partner_id) VALUES ('C1', 'P9', ${a})`),
      ).rejects.toThrow(/violates foreign key constraint "copernico_participants_partner_event_fkey"/);
      await client.query(`
        INSERT INTO copernico_events (event_id, event_name, timing_partner_id) VALUES ('C1', 'A race', ${a});
        INSERT INTO copernico_participants (event_id, participant_id, first_name, timing_partner_id) VALUES ('C1', 'P1', 'Ann', ${a})`);
    });
    await asPartner(h, h.b, (client) => client.query(`DELETE FROM copernico_events WHERE event_id = 'C1'`));
    expect(await query(h.adminUrl, `SELECT timing_partner_id AS id, first_name FROM copernico_participants`)).toEqual([{ id: a, first_name: 'Ann' }]);
  });

  it('cannot burn, read or pre-claim the hub ids: bigint identities out of every partner\'s reach', async () => {
    const h = await hostileHub();
    expect(await query(h.adminUrl, `SELECT format_type(atttypid, NULL) AS type, attidentity FROM pg_attribute WHERE attrelid = 'ct_results'::regclass AND attname = 'id'`)).toEqual([
      { type: 'bigint', attidentity: 'd' },
    ]);
    await asPartner(h, h.a, async (client) => {
      const sequence = (await client.query(`SELECT pg_get_serial_sequence('public.ct_results', 'id') AS name`)).rows[0].name;
      await expect(client.query(`SELECT nextval($1)`, [sequence])).rejects.toThrow(/permission denied for sequence/);
      await expect(client.query(`SELECT setval($1, 1)`, [sequence])).rejects.toThrow(/permission denied for sequence/);
      await expect(client.query(`SELECT last_value FROM ${sequence}`)).rejects.toThrow(/permission denied for sequence/);
      await expect(
        client.query(`INSERT INTO ct_results (id, event_id, timing_partner_id) VALUES (9000000, 'E', ${h.a.timing_partner_id})`),
      ).rejects.toThrow(/permission denied for table ct_results/);
      // Its own rows still get ids.
      const { rows } = await client.query(`INSERT INTO ct_results (event_id, timing_partner_id) VALUES ('E', ${h.a.timing_partner_id}) RETURNING id`);
      expect(rows).toEqual([{ id: '1' }]);
    });
  });
});
