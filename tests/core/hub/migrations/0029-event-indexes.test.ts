import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../../helpers/postgres.ts';
import { migrateHub } from '../../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../../src-main/core/hub/partners.ts';
import { loginUrl, query } from '../hub-test-kit.ts';

/*
 * Reads by event go through the (timing_partner_id, event_id, ...) indexes as a partner's login,
 * under row-level security and through the views (hub migration 0029). The tables here are tiny,
 * so sequential scans are priced out: what is left is whether an index can serve the read at all.
 */
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** Every scan of `tables` in the plan, with its index and index condition (a bitmap scan's from its index scan). */
function scans(node: PlanNode, tables: string[]): Array<{ table: string; index?: string; cond?: string }> {
  const bitmap = node['Node Type'] === 'Bitmap Heap Scan' ? node.Plans?.find((child) => child['Node Type'] === 'Bitmap Index Scan') : undefined;
  const index = bitmap ?? node;
  const own = node['Relation Name'] && tables.includes(node['Relation Name']) ? [{ table: node['Relation Name'], index: index['Index Name'], cond: index['Index Cond'] }] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => scans(child, tables))];
}

const nodeTypes = (node: PlanNode): string[] => [node['Node Type'], ...(node.Plans ?? []).flatMap(nodeTypes)];

async function partnerPlan(adminUrl: string, login: { role: string; password: string }, sql: string, params: unknown[]): Promise<PlanNode> {
  const client = new pg.Client({ connectionString: loginUrl(adminUrl, login.role, login.password) });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return rows[0]['QUERY PLAN'][0].Plan;
  } finally {
    await client.end();
  }
}

const participantTables = ['runsignup_participants', 'ct_participants', 'raceroster_participants', 'copernico_participants', 'haku_participants'];

describe('hub migration 0029: reads by event through an index, as a partner', () => {
  it("finds an event's participants, and a bib in it, by partner and event in every provider's index", async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    await query(adminUrl, `INSERT INTO runsignup_participants (event_id, registration_id, bib_num, timing_partner_id) VALUES (11, 111, '7', ${partner.timing_partner_id})`);

    for (const [sql, params] of [
      ['SELECT count(*) FROM unified_participants WHERE event_id = $1', ['11']],
      ['SELECT * FROM unified_participants WHERE event_id = $1 AND bib_number = $2', ['11', '7']],
    ] as const) {
      const found = scans(await partnerPlan(adminUrl, partner, sql, [...params]), participantTables);
      expect(found.map((s) => s.table).sort()).toEqual([...participantTables].sort());
      for (const scan of found) {
        expect(scan.index, scan.table).toBe(`${scan.table}_partner_event`);
        // The partner's id is computed once per query: a parameter, or an InitPlan of the policy's function.
        expect(scan.cond, scan.table).toMatch(/^\(\(timing_partner_id = (\$\d+|\(InitPlan \d+\)\.col1)\) AND \(+event_id(_text)?(\)::text)? = '11'::text\)/);
      }
    }
    // RunSignUp's event_id_text is PostgreSQL's own copy of event_id.
    expect(await query(adminUrl, `SELECT event_id, bib_number FROM unified_participants`)).toEqual([{ event_id: '11', bib_number: '7' }]);
  });

  it("reads an event's top ChronoTrack results in place order from an index, reading neither its participants nor the rest", async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    await query(adminUrl, `
      INSERT INTO ct_results (event_id, entry_id, results_rank, timing_partner_id)
      SELECT 'E' || (n % 20), 'N' || n, n, ${partner.timing_partner_id} FROM generate_series(1, 2000) n;
      ANALYZE ct_results`);
    const plan = await partnerPlan(adminUrl, partner, 'SELECT * FROM unified_results WHERE event_id = $1 ORDER BY overall_place LIMIT 50', ['E1']);
    expect(scans(plan, ['ct_participants'])).toEqual([]);
    expect(scans(plan, ['ct_results'])).toEqual([{ table: 'ct_results', index: 'ct_results_event_place', cond: "((event_id)::text = 'E1'::text)" }]);
    expect(nodeTypes(plan)).not.toContain('Sort');
  });
});
