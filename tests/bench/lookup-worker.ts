/*
 * Runs in its own process, like the app's main process would: opens the store with a million
 * participants as a core, answers lookups through the API (dispatch: access, input and output
 * validated, as every shell calls it), and reports latencies beside the index alone, measured in
 * the same loop, and its resident memory.
 *   node --import tsx tests/bench/lookup-worker.ts <db file> <iterations>
 */
import { dirname } from 'node:path';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { dispatch } from '../../src-main/core/api/dispatch.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { percentile } from './stats.ts';
import { foldForSearch } from '../../src-main/core/store/sql-fold.ts';
import { seededRandom } from '../../src-main/datasets/synthetic/random.ts';

const [dbPath, iterationsText] = process.argv.slice(2);
const iterations = Number(iterationsText);
const dataDir = dirname(dbPath);
const core = createCore({ dataDir, settings: createConfSettings(dataDir), credentials: memoryCredentials() });
const db = core.db;
const rnd = seededRandom(7);
const maxBib = (db.prepare(`SELECT max(CAST(bib AS INTEGER)) AS n FROM participant_search`).get() as { n: number }).n;
const randomBib = () => String(1 + Math.floor(rnd() * maxBib));

async function lookup(query: string): Promise<void> {
  const result = await dispatch(core, 'lookup.search', { query, limit: 20 });
  if (!result.ok) throw new Error(`lookup of "${query}" failed: ${result.error.message}`);
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
// CPU time of the process (ms): on a loaded machine the time a lookup waits for a core is not the lookup's.
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e3;
};

interface Samples {
  api: number[];
  apiCpu: number[];
  index: number[];
  indexCpu: number[];
}

/**
 * Each query through the API, and right after it the index alone (`index`, when given), so both
 * meet the same moments of a loaded machine; each timed by the clock and by the CPU time it used.
 */
async function measure(queries: (i: number) => string, index?: (query: string) => unknown): Promise<Samples> {
  const samples: Samples = { api: [], apiCpu: [], index: [], indexCpu: [] };
  for (let i = 0; i < iterations; i++) {
    const query = queries(i);
    let start = nowMs();
    let startCpu = cpuMs();
    await lookup(query);
    samples.api.push(nowMs() - start);
    samples.apiCpu.push(cpuMs() - startCpu);
    if (index) {
      start = nowMs();
      startCpu = cpuMs();
      index(query);
      samples.index.push(nowMs() - start);
      samples.indexCpu.push(cpuMs() - startCpu);
    }
  }
  return samples;
}

// The physical limit: the index entries a lookup starts from, nothing else.
const bibIndex = db.prepare(`SELECT provider, source_rowid FROM participant_search WHERE bib = ?`);
const lastNameIndex = db.prepare(
  `SELECT provider, source_rowid FROM participant_search WHERE last_fold >= ? AND last_fold < ? ORDER BY last_fold, first_fold LIMIT 20`,
);

const prefixes = ['nun', "o'b", 'smi', 'mu', 'gar', 'zoe', 'ob', 'dan', 'lef', 'kow'];
// Names as runners say them: several words over first and last names and the parts of compound names.
const phrases = ['ana lucia nunez', 'garcia marquez', 'st pierre', 'o brien', 'van der berg', 'mei ling', 'michael smith', 'nunez', 'zoe o connor smith', 'sanchez fuente'];

// Warm up the way a station that has been open for a while is: its page cache, and each kind of
// lookup's statements, prepared on first use and kept for the life of the database.
for (let i = 0; i < 200; i++) await lookup(randomBib());
for (const query of [...prefixes, ...phrases]) await lookup(query);

const bib = await measure(randomBib, (query) => bibIndex.all(query));

// The folded prefix, as the lookup seeks it ("o'b" is "ob").
const folded = (prefix: string) => foldForSearch(prefix) ?? '';
const prefix = await measure((i) => prefixes[i % prefixes.length], (query) => lastNameIndex.all(folded(query), `${folded(query)}\u{10FFFF}`));

const multi = await measure((i) => phrases[i % phrases.length]);

// Baseline: what a lookup without the index costs — a LIKE '%q%' scan of the same rows.
const scan = db.prepare(
  `SELECT * FROM unified_participants WHERE first_name LIKE @q OR last_name LIKE @q ORDER BY last_name, first_name LIMIT 20`,
);
const baseline: number[] = [];
const baselineRuns = Math.max(3, Math.min(20, Math.floor(iterations / 50)));
for (let i = 0; i < baselineRuns; i++) {
  const start = nowMs();
  scan.all({ q: `%${prefixes[i % 3]}%` });
  baseline.push(nowMs() - start);
}

const rssMb = process.memoryUsage().rss / (1024 * 1024);
const stats = (samples: number[]) => ({ p50: percentile(samples, 50), p99: percentile(samples, 99) });
process.stdout.write(
  JSON.stringify({
    bib: stats(bib.api),
    bibCpu: stats(bib.apiCpu),
    bibIndex: stats(bib.index),
    bibIndexCpu: stats(bib.indexCpu),
    prefix: stats(prefix.api),
    prefixCpu: stats(prefix.apiCpu),
    prefixIndex: stats(prefix.index),
    prefixIndexCpu: stats(prefix.indexCpu),
    multi: stats(multi.api),
    multiCpu: stats(multi.apiCpu),
    baseline: stats(baseline),
    rssMb,
  }),
);
core.close();
