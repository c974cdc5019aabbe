import pg from 'pg';
import { migrateHub } from '../../src-main/core/hub/migrate.ts';
import { addPartner, type NewPartner } from '../../src-main/core/hub/partners.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { partnerLogin } from './hub-bench.ts';
import { percentile } from './stats.ts';

/*
 * The hub at the production seed's size (issue 20 item 6): reads by event as one partner's login,
 * through the unified views and row-level security, each beside the same read of the base table
 * by the superuser (no view, no policy: what the index alone costs). docs/performance-hub.md
 * records the figures and the plans.
 *
 * The hub is generated inside PostgreSQL (generate_series), so loading takes minutes: the tables'
 * own indexes are dropped for the load and built again after it, and the triggers are off for it
 * (session_replication_role), so participant_status, which the hub's trigger keeps on a ChronoTrack
 * result, is written by the generator itself. Every figure is a round trip over loopback of one
 * unnamed statement, planning included, as a reporting tool or psql sends it.
 */
export interface HubScaleSizes {
  ctEvents: number;
  ctParticipants: number;
  ctResults: number;
  rsuEvents: number;
  rsuParticipants: number;
  /** ChronoTrack event 1's runners (participants and results), the largest race. */
  bigEvent: number;
  /** Reads of each kind on typical events, each of a random event of the partner. */
  reads: number;
  /** Reads of each kind on the largest event. */
  bigReads: number;
}

export const hubScaleSizes: HubScaleSizes = {
  ctEvents: 12_882,
  ctParticipants: 2_382_266,
  ctResults: 7_644_980,
  rsuEvents: 937,
  rsuParticipants: 38_362,
  bigEvent: 26_800,
  reads: 500,
  bigReads: 200,
};

export const quickHubScaleSizes: HubScaleSizes = {
  ctEvents: 300,
  ctParticipants: 60_000,
  ctResults: 180_000,
  rsuEvents: 30,
  rsuParticipants: 1_200,
  bigEvent: 2_680,
  reads: 100,
  bigReads: 50,
};

export interface Latency {
  p50: number;
  p99: number;
}

export interface HubScaleRead {
  read: string;
  /** 'typical' (a random event of the partner) or 'largest' (the 26,800-runner one at full size). */
  events: 'typical' | 'largest';
  view: Latency;
  baseTable: Latency;
}

export interface HubScaleFigures {
  participants: number;
  results: number;
  loadSeconds: number;
  reads: HubScaleRead[];
  /** EXPLAIN (ANALYZE, BUFFERS) of each read on the largest event, as the partner. */
  plans: Array<{ read: string; plan: string }>;
}

const lastNames = ['Garcia', 'Smith', 'Johnson', 'Nguyen', 'Peña', "O'Brien", 'Müller', 'Kowalski', 'Brown', 'Williams', 'Jones', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers'];
const firstNames = ['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Maria', 'James', 'Linh', 'José', 'Siobhan', 'Jürgen', 'Aiko', 'Omar', 'Priya', 'Liam', 'Emma', 'Noah', 'Olivia', 'Mateo', 'Sofia', 'Lucas', 'Mia', 'Ethan', 'Zoe', 'Ivan', 'Chloe', 'Ravi', 'Nora'];
const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]`;

/** The generated tables, whose indexes are dropped for the load. */
const loadedTables = ['ct_events', 'ct_participants', 'ct_results', 'runsignup_events', 'runsignup_participants'];

/**
 * Per event e of n (1-based), how many of `total` rows it holds: event 1 holds `first`, the rest
 * share the remainder as evenly as whole numbers allow.
 */
const perEvent = (e: string, n: number, total: number, first: number) =>
  `CASE WHEN ${e} = 1 THEN ${first} ELSE ${Math.floor((total - first) / (n - 1))} + (CASE WHEN ${e} - 1 <= ${(total - first) % (n - 1)} THEN 1 ELSE 0 END) END`;

function loadSql(s: HubScaleSizes, partners: number[]): string[] {
  const partnerOf = (e: string) => `(${sqlArray(partners.map(String))}::int[])[1 + (${e} % ${partners.length})]`;
  const last = (k: string) => `(${sqlArray(lastNames)})[1 + (${k}) % ${lastNames.length}]`;
  const first = (k: string) => `(${sqlArray(firstNames)})[1 + (${k}) % ${firstNames.length}]`;
  // Event 1 goes to the first partner, the one whose login reads: partnerOf(0) is partners[0].
  const ctPartner = partnerOf('(e - 1)');
  const status = `CASE n % 97 WHEN 0 THEN 'DNF' WHEN 1 THEN 'DNS' ELSE 'CONF' END`;
  const ctEntries = perEvent('e', s.ctEvents, s.ctParticipants, s.bigEvent);
  // A result per entry, then results of entries the hub holds no participant for (as on the seed).
  const ctResultCount = perEvent('e', s.ctEvents, s.ctResults, s.bigEvent);
  return [
    `INSERT INTO ct_events (event_id, event_name, event_start_time, timing_partner_id)
     SELECT 'CT' || e, 'ChronoTrack race ' || e, timestamp '2025-01-04 08:00' + (e % 700) * interval '1 day', ${ctPartner}
     FROM generate_series(1, ${s.ctEvents}) e`,
    `INSERT INTO ct_participants (entry_id, event_id, entry_bib, entry_status, entry_race_age, athlete_first_name, athlete_last_name,
       athlete_sex, athlete_birthdate, athlete_email, location, timing_partner_id)
     SELECT e || '-' || n, 'CT' || e, n::text, ${status}, 18 + (n * 7 + e) % 60, ${first('n * 13 + e')}, ${last('n * 31 + e * 7')},
       CASE n % 2 WHEN 0 THEN 'M' ELSE 'F' END, date '1960-01-01' + ((n * 37 + e) % 15000), 'runner' || n || '@example.com',
       jsonb_build_object('city', 'Bend', 'region', 'OR'), ${ctPartner}
     FROM generate_series(1, ${s.ctEvents}) e, LATERAL generate_series(1, ${ctEntries}) n`,
    `INSERT INTO ct_results (event_id, entry_id, results_bib, results_first_name, results_last_name, results_sex, results_age,
       results_time, results_gun_time, results_rank, results_gender_rank, participant_status, timing_partner_id)
     SELECT 'CT' || e, e || '-' || n, n::text, ${first('n * 13 + e')}, ${last('n * 31 + e * 7')},
       CASE n % 2 WHEN 0 THEN 'M' ELSE 'F' END, 18 + (n * 7 + e) % 60,
       (interval '0:15:00' + n * interval '0.7 second')::text, (interval '0:15:05' + n * interval '0.7 second')::text,
       n, (n + 1) / 2, CASE WHEN n <= ${ctEntries} THEN ${status} END, ${ctPartner}
     FROM generate_series(1, ${s.ctEvents}) e, LATERAL generate_series(1, ${ctResultCount}) n`,
    `INSERT INTO runsignup_events (event_id, race_id, name, start_time, timing_partner_id)
     SELECT 900000 + e, 140000 + e / 3, 'RunSignUp race ' || e, timestamp '2025-01-04 08:00' + (e % 700) * interval '1 day', ${partnerOf('e')}
     FROM generate_series(1, ${s.rsuEvents}) e`,
    `INSERT INTO runsignup_participants (registration_id, event_id, race_id, first_name, last_name, email, gender, dob, bib_num,
       address, timing_partner_id)
     SELECT e * 1000 + n, 900000 + e, 140000 + e / 3, ${first('n * 17 + e')}, ${last('n * 29 + e * 3')}, 'reg' || e || '-' || n || '@example.com',
       CASE n % 2 WHEN 0 THEN 'M' ELSE 'F' END, date '1960-01-01' + ((n * 41 + e) % 15000), n::text,
       jsonb_build_object('city', 'Boise', 'state', 'ID'), ${partnerOf('e')}
     FROM generate_series(1, ${s.rsuEvents}) e, LATERAL generate_series(1, ${perEvent('e', s.rsuEvents, s.rsuParticipants, Math.ceil(s.rsuParticipants / s.rsuEvents))}) n`,
  ];
}

async function load(adminUrl: string, sizes: HubScaleSizes, partners: number[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE schemaname = 'public' AND tablename = ANY($1) AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
      [loadedTables],
    );
    for (const { name } of indexes) await client.query(`DROP INDEX public.${name}`);
    await client.query(`SET session_replication_role = replica`);
    for (const sql of loadSql(sizes, partners)) await client.query(sql);
    await client.query(`SET session_replication_role = DEFAULT`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    for (const { definition } of indexes) await client.query(definition);
    // As a hub that has settled: statistics gathered, visibility map set.
    await client.query(`VACUUM (ANALYZE) ${loadedTables.join(', ')}`);
  } finally {
    await client.end();
  }
}

interface Read {
  name: string;
  /** Through the views, as the partner. $1: the event id (text); $2: a bib or a name prefix. */
  view: string;
  /**
   * The same read of the event's base table as the superuser, by provider (results: ChronoTrack
   * only). $1: partner id; $2: event id; $3: bib or name prefix.
   */
  base: { ct: string; rsu?: string };
  /** The second parameter, for an event of `runners` runners. */
  argument: (runners: number) => string;
}

const reads: Read[] = [
  {
    name: "an event's count(*) in unified_participants",
    view: `SELECT count(*) FROM unified_participants WHERE event_id = $1`,
    base: {
      ct: `SELECT count(*) FROM ct_participants WHERE timing_partner_id = $1 AND event_id = $2`,
      rsu: `SELECT count(*) FROM runsignup_participants WHERE timing_partner_id = $1 AND event_id = $2::int`,
    },
    argument: () => '',
  },
  {
    name: "an event's top 50 in unified_results",
    view: `SELECT * FROM unified_results WHERE event_id = $1 ORDER BY overall_place LIMIT 50`,
    base: { ct: `SELECT * FROM ct_results WHERE timing_partner_id = $1 AND event_id = $2 ORDER BY results_rank LIMIT 50` },
    argument: () => '',
  },
  {
    name: 'a last-name search (ILIKE prefix%) within an event',
    view: `SELECT * FROM unified_participants WHERE event_id = $1 AND last_name ILIKE $2 ORDER BY last_name, first_name LIMIT 50`,
    base: {
      ct: `SELECT * FROM ct_participants WHERE timing_partner_id = $1 AND event_id = $2 AND athlete_last_name ILIKE $3 ORDER BY athlete_last_name, athlete_first_name LIMIT 50`,
      rsu: `SELECT * FROM runsignup_participants WHERE timing_partner_id = $1 AND event_id = $2::int AND last_name ILIKE $3 ORDER BY last_name, first_name LIMIT 50`,
    },
    argument: () => 'garc%',
  },
  {
    name: 'a bib lookup within an event',
    view: `SELECT * FROM unified_participants WHERE event_id = $1 AND bib_number = $2`,
    base: {
      ct: `SELECT * FROM ct_participants WHERE timing_partner_id = $1 AND event_id = $2 AND entry_bib = $3`,
      rsu: `SELECT * FROM runsignup_participants WHERE timing_partner_id = $1 AND event_id = $2::int AND bib_num = $3`,
    },
    argument: (runners) => String(1 + Math.floor(Math.random() * runners)),
  },
];

async function timed(client: pg.Client, sql: string, params: unknown[]): Promise<number> {
  const start = process.hrtime.bigint();
  await client.query(sql, params);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const latency = (samples: number[]): Latency => ({ p50: percentile(samples, 50), p99: percentile(samples, 99) });

/** The reads of a filled hub (fillScaleHub), as `login`'s partner and, for the base tables, as the superuser at `adminUrl`. */
async function readScaleHub(adminUrl: string, login: NewPartner, sizes: HubScaleSizes): Promise<Pick<HubScaleFigures, 'reads' | 'plans'>> {
  const { url, password } = partnerLogin(adminUrl, login);
  const partner = new pg.Client({ connectionString: url, password });
  const admin = new pg.Client({ connectionString: adminUrl });
  await partner.connect();
  await admin.connect();
  try {
    type Event = { event_id: string; runners: number; provider: 'ct' | 'rsu' };
    const ours = (
      await admin.query<Event>(
        `SELECT event_id, count(*)::int AS runners, 'ct' AS provider FROM ct_participants
         WHERE timing_partner_id = $1 AND event_id <> 'CT1' GROUP BY event_id
         UNION ALL
         SELECT event_id::text, count(*)::int, 'rsu' FROM runsignup_participants WHERE timing_partner_id = $1 GROUP BY event_id`,
        [login.timing_partner_id],
      )
    ).rows;
    const largest: Event = { event_id: 'CT1', runners: sizes.bigEvent, provider: 'ct' };
    const figures: HubScaleRead[] = [];
    for (const read of reads) {
      // Results exist for ChronoTrack events only; participants reads draw from both providers.
      const pool = ours.filter((e) => read.base[e.provider] !== undefined);
      for (const events of ['typical', 'largest'] as const) {
        const view: number[] = [];
        const baseTable: number[] = [];
        for (let i = 0; i < (events === 'typical' ? sizes.reads : sizes.bigReads); i++) {
          const event = events === 'largest' ? largest : pool[Math.floor(Math.random() * pool.length)];
          const argument = read.argument(event.runners);
          const extra = argument === '' ? [] : [argument];
          // Alternating, so a slow moment of the shared machine hits both alike.
          view.push(await timed(partner, read.view, [event.event_id, ...extra]));
          baseTable.push(await timed(admin, read.base[event.provider]!, [login.timing_partner_id, event.event_id, ...extra]));
        }
        figures.push({ read: read.name, events, view: latency(view), baseTable: latency(baseTable) });
      }
    }
    const plans: HubScaleFigures['plans'] = [];
    for (const read of reads) {
      const argument = read.argument(sizes.bigEvent);
      const { rows } = await partner.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${read.view}`, argument === '' ? ['CT1'] : ['CT1', argument]);
      plans.push({ read: read.name, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
    }
    return { reads: figures, plans };
  } finally {
    await partner.end();
    await admin.end();
  }
}

/** Migrates the empty database at `adminUrl`, adds three partners and fills the hub for them; the first partner's login reads. */
async function fillScaleHub(adminUrl: string, sizes: HubScaleSizes): Promise<NewPartner[]> {
  await migrateHub({ url: adminUrl });
  const logins: NewPartner[] = [];
  for (const name of ['Bench Timing A', 'Bench Timing B', 'Bench Timing C']) logins.push(await addPartner({ url: adminUrl }, name));
  await load(adminUrl, sizes, logins.map((p) => p.timing_partner_id));
  return logins;
}

/** A fresh hub database of `sizes`, filled, read, then dropped. */
export async function benchHubScale(sizes: HubScaleSizes, log: (message: string) => void): Promise<HubScaleFigures> {
  const postgres = await startTestPostgres();
  try {
    const adminUrl = await postgres.createDatabase();
    log(`loading ${sizes.ctParticipants + sizes.rsuParticipants} participants and ${sizes.ctResults} results for three partners`);
    const loadStart = process.hrtime.bigint();
    const logins = await fillScaleHub(adminUrl, sizes);
    const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
    log(`loaded in ${loadSeconds.toFixed(0)} s; reading as one partner`);
    return { participants: sizes.ctParticipants + sizes.rsuParticipants, results: sizes.ctResults, loadSeconds, ...(await readScaleHub(adminUrl, logins[0], sizes)) };
  } finally {
    await postgres.stop();
  }
}
