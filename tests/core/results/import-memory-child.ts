import { openDatabase } from '../../../src-main/core/store/database.ts';
import { planImport } from '../../../src-main/core/results/import.ts';
import { eventId } from './seed.ts';

/*
 * Plans (previews) one import of `rows` lines in a process of its own and prints how far the
 * import raised the process's peak memory (RSS), and how much heap the plan still holds after a
 * full collection (its bookkeeping, without the garbage a collection would free). Usage: import-memory-child.ts DB_PATH same|distinct ROWS
 *   same:     every line carries bib 1 (the file that froze the station)
 *   distinct: bibs 1..ROWS, all registered (a normal finish file of the same size)
 */
const [dbPath, mode, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
const lines = ['Bib,Chip Time,Gun Time'];
for (let i = 1; i <= rows; i++) lines.push(`${mode === 'same' ? 1 : i},${20 + (i % 40)}:${String(i % 60).padStart(2, '0')},${21 + (i % 40)}:00`);
const content = lines.join('\n');
const db = openDatabase(dbPath);
const gc = (globalThis as { gc?: () => void }).gc as () => void;
gc();
const before = process.resourceUsage().maxRSS;
const heapBefore = process.memoryUsage().heapUsed;
const plan = planImport(db, { event: eventId, fileName: 'finish.csv', content });
const after = process.resourceUsage().maxRSS;
gc();
const heldBytes = process.memoryUsage().heapUsed - heapBefore;
process.stdout.write(JSON.stringify({ peakRssGrowthKb: after - before, heldBytes, rows: plan.rows.length, problems: plan.problems.length }));
db.close();
