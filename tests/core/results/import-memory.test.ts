import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../../src-main/core/store/database.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { eventId } from './seed.ts';

const dir = mkdtempSync(join(tmpdir(), 'racedesk-import-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = 50_000;

/** An event with `rows` registered runners, bibs 1..rows. */
function seed(path: string): void {
  const db = openDatabase(path);
  upsertRows(db, 'runsignup_events', ['event_id'], [{ event_id: Number(eventId), race_id: 77, name: 'Big 10K', start_time: '2026-05-10T08:00:00.000Z' }]);
  db.transaction(() => {
    upsertRows(
      db,
      'runsignup_participants',
      ['registration_id'],
      Array.from({ length: rows }, (_, i) => ({ race_id: 77, event_id: Number(eventId), registration_id: i + 1, bib_num: String(i + 1), first_name: `Runner${i}`, last_name: 'Test', gender: i % 2 ? 'M' : 'F', age: 20 + (i % 50) })),
    );
  })();
  db.close();
}

interface Measured {
  peakRssGrowthKb: number;
  heldBytes: number;
  rows: number;
  problems: number;
}

async function measure(path: string, mode: 'same' | 'distinct'): Promise<Measured> {
  // A heap limit well above a normal import's needs: the quadratic bookkeeping this guards against ran out of it.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=1024', '--import', 'tsx', join(import.meta.dirname, 'import-memory-child.ts'), path, mode, String(rows)],
    { cwd: join(import.meta.dirname, '../../..'), maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as Measured;
}

describe('importing a file of one bib repeated', () => {
  it('50,000 identical bibs take well under the memory of a normal import of the same size', async () => {
    const path = join(dir, 'racedesk.sqlite');
    seed(path);
    const normal = await measure(path, 'distinct');
    const same = await measure(path, 'same');
    expect(normal).toMatchObject({ rows, problems: 0 });
    expect(same).toMatchObject({ rows, problems: 1 });
    // What the plan holds: one listed problem, and each line kept as read so it can be held
    // (nothing held is lost), against a merged result per row (measured: about 0.7 of it).
    expect(same.heldBytes).toBeLessThan(normal.heldBytes * 0.85);
    // The peak, garbage included, stays well below the normal import's (measured: about 0.6–0.7 of it).
    expect(same.peakRssGrowthKb).toBeLessThan(normal.peakRssGrowthKb * 0.85);
  });
});
