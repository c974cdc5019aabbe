import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCore } from '../../helpers/core.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { eventId, seedEvent } from './seed.ts';

const bin = join(import.meta.dirname, '../../../bin/racedesk.js');
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const racedesk = (dataDir: string, args: string[]) =>
  new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, [bin, '--data-dir', dataDir, ...args], (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr })),
  );

describe('racedesk startlist export', () => {
  it('writes FinishLynx lynx.ppl and lynx.evt and a generic CSV, accents kept and commas quoted', async () => {
    dir = mkdtempSync(join(tmpdir(), 'racedesk-startlist-'));
    const dataDir = join(dir, 'data');
    const core = createTestCore({ dataDir });
    seedEvent(core.db);
    upsertRows(core.db, 'runsignup_participants', ['registration_id'], [
      { race_id: 77, event_id: 5001, registration_id: 9300, bib_num: '300', chip_num: 'C300', first_name: 'José', last_name: 'Ruiz, Jr.', gender: 'M', age: 40 },
    ]);
    core.close();

    const lynx = await racedesk(dataDir, ['startlist', 'export', '--event', eventId, '--format', 'lynx', '--out', join(dir, 'lynx')]);
    expect(lynx.stderr).toBe('');
    const ppl = readFileSync(join(dir, 'lynx', 'lynx.ppl'), 'utf8').split('\r\n');
    expect(ppl.slice(0, 2)).toEqual(['101,Smith,Ann,', '102,Jones,Bob,']);
    expect(ppl).toContain('105,Núñez,Eve,');
    expect(ppl).toContain('300,"Ruiz, Jr.",José,');
    const evt = readFileSync(join(dir, 'lynx', 'lynx.evt'), 'utf8').split('\r\n');
    expect(evt.slice(0, 3)).toEqual(['1,1,1,City Run 2026 › City 10K', ',101,', ',102,']);
    expect(evt).toContain(',300,');

    await racedesk(dataDir, ['startlist', 'export', '--event', eventId, '--format', 'csv', '--out', join(dir, 'csv')]);
    const csv = readFileSync(join(dir, 'csv', 'start-list.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]).toBe('Bib,Chip,First Name,Last Name,Gender,Age,Team,Wave,Race');
    expect(csv).toContain('300,C300,José,"Ruiz, Jr.",M,40,,,');
    expect((await racedesk(dataDir, ['startlist', 'export', '--event', eventId, '--format', 'pdf', '--out', dir])).code).toBe(2);
  });
});
