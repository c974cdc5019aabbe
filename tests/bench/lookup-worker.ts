/*
 * Runs in its own process, like the app's main process would: opens the store with a million
 * participants, answers lookups, and reports latencies and its resident memory.
 *   node --import tsx tests/bench/lookup-worker.ts <db file> <iterations>
 */
import { openDatabase } from '../../src-main/core/store/database.ts';
import { lookupParticipants } from '../../src-main/core/lookup/lookup.ts';
import { percentile, timeMs } from './stats.ts';
import { seededRandom } from '../../src-main/datasets/synthetic/random.ts';

const [dbPath, iterationsText] = process.argv.slice(2);
const iterations = Number(iterationsText);
const db = openDatabase(dbPath);
const rnd = seededRandom(7);
const maxBib = (db.prepare(`SELECT max(CAST(bib AS INTEGER)) AS n FROM participant_search`).get() as { n: number }).n;

// Warm the page cache the way a station that has been open for a while would be.
for (let i = 0; i < 200; i++) lookupParticipants(db, { query: String(1 + Math.floor(rnd() * maxBib)) });

const bib: number[] = [];
for (let i = 0; i < iterations; i++) bib.push(timeMs(() => lookupParticipants(db, { query: String(1 + Math.floor(rnd() * maxBib)), limit: 20 })));

const prefixes = ['nun', "o'b", 'smi', 'mu', 'gar', 'zoe', 'ob', 'dan', 'lef', 'kow'];
const prefix: number[] = [];
for (let i = 0; i < iterations; i++) prefix.push(timeMs(() => lookupParticipants(db, { query: prefixes[i % prefixes.length], limit: 20 })));

// Names as runners say them: several words over first and last names and the parts of compound names.
const phrases = ['ana lucia nunez', 'garcia marquez', 'st pierre', 'o brien', 'van der berg', 'mei ling', 'michael smith', 'nunez', 'zoe o connor smith', 'sanchez fuente'];
const multi: number[] = [];
for (let i = 0; i < iterations; i++) multi.push(timeMs(() => lookupParticipants(db, { query: phrases[i % phrases.length], limit: 20 })));

// Baseline: what a lookup without the index costs — a LIKE '%q%' scan of the same rows.
const scan = db.prepare(
  `SELECT * FROM unified_participants WHERE first_name LIKE @q OR last_name LIKE @q ORDER BY last_name, first_name LIMIT 20`,
);
const baseline: number[] = [];
const baselineRuns = Math.max(3, Math.min(20, Math.floor(iterations / 50)));
for (let i = 0; i < baselineRuns; i++) baseline.push(timeMs(() => scan.all({ q: `%${prefixes[i % 3]}%` })));

const rssMb = process.memoryUsage().rss / (1024 * 1024);
process.stdout.write(
  JSON.stringify({
    bib: { p50: percentile(bib, 50), p99: percentile(bib, 99) },
    prefix: { p50: percentile(prefix, 50), p99: percentile(prefix, 99) },
    multi: { p50: percentile(multi, 50), p99: percentile(multi, 99) },
    baseline: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
    rssMb,
  }),
);
db.close();
