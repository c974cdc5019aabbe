// Preloaded into a measured `racedesk` process (node --import): on exit, writes the process's peak
// resident set (getrusage ru_maxrss, in KiB) to the file named by RACEDESK_BENCH_PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.RACEDESK_BENCH_PEAK_RSS_FILE, String(process.resourceUsage().maxRSS)));
