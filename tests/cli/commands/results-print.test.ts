import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCore, call } from '../../helpers/core.ts';
import { readPdf } from '../../helpers/pdf.ts';
import { eventId } from '../../core/results/seed.ts';
import { awardsFinishFile, seedAwardsEvent } from '../../core/results/print-seed.ts';
import { runRacedesk } from '../../helpers/cli.ts';

let dataDir: string;
let out: string;

const racedesk = (args: string[]) => runRacedesk({ dataDir }, args);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'racedesk-cli-print-'));
  out = mkdtempSync(join(tmpdir(), 'racedesk-cli-print-out-'));
  const core = createTestCore({ dataDir });
  seedAwardsEvent(core.db);
  await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: awardsFinishFile });
  core.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('racedesk results print', () => {
  it('writes the award lists as a PDF holding the winners, warning of the letters it cannot show', async () => {
    const file = join(out, 'awards.pdf');
    const run = await racedesk(['results', 'print', '--event', eventId, '--document', 'awards', '--top', '2', '--out', file]);
    // Top 2: Zoë Łukasz, third woman, is printed once, in her age group.
    expect(run.stderr).toContain('warning: 1 character prints as "?" in the PDF (Ł)');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Wrote City Run 2026 › City 10K — Awards \(\d+ lines, (1 page|\d+ pages)\) to .*awards\.pdf\.\n$/);
    const shown = readPdf(readFileSync(file)).pages.flat();
    expect(shown).toContain('Female overall');
    for (const winner of ['Lucía Peña', 'Ann Smith', 'Bob Jones', 'Cid Lee']) expect(shown).toContain(winner);
    // Top 2: Max Roth (third man) is in the age groups only.
    expect(shown.filter((s) => s === 'Max Roth')).toHaveLength(1);
    expect(readdirSync(out)).toEqual(['awards.pdf']);
  });

  it('writes the results sheet by default, and a pickup list for a bib range', async () => {
    const sheet = join(out, 'results.pdf');
    expect((await racedesk(['results', 'print', '--event', eventId, '--out', sheet, '--json'])).code).toBe(0);
    expect(readPdf(readFileSync(sheet)).pages[0]).toEqual(expect.arrayContaining(['City Run 2026 › City 10K — Results', 'Eve Núñez', 'DNF']));

    const pickup = join(out, 'pickup.pdf');
    const run = await racedesk(['results', 'print', '--event', eventId, '--document', 'pickup', '--from', '104', '--to', '105', '--paper', 'a4', '--out', pickup, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ file: pickup, pages: 1, rows: 2, replaced: 0 });
    const read = readPdf(readFileSync(pickup));
    expect([...read.objects.values()].find((o) => o.dictionary.includes('/Type /Pages'))?.dictionary).toContain('/MediaBox [0 0 595.28 841.89]');
    const shown = read.pages[0];
    expect(shown).toEqual(expect.arrayContaining(['Park', 'Núñez']));
    expect(shown).not.toContain('Smith');
  });

  it('refuses a wrong document or bib and a backwards range, writing nothing', async () => {
    const file = join(out, 'refused.pdf');
    const wrong = await racedesk(['results', 'print', '--event', eventId, '--document', 'medals', '--out', file]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--document must be results, awards or pickup, got "medals".');
    const bib = await racedesk(['results', 'print', '--event', eventId, '--document', 'pickup', '--from', 'A1', '--out', file]);
    expect(bib.stderr).toContain('--from must be a whole number, got "A1".');
    const backwards = await racedesk(['results', 'print', '--event', eventId, '--document', 'pickup', '--from', '300', '--to', '200', '--out', file]);
    expect(backwards.stderr).toContain('The bib range 300–200 runs backwards; give the lower bib first.');
    expect(existsSync(file)).toBe(false);
  });
});
