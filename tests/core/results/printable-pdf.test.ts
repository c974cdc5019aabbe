import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printableToPdf } from '../../../src-main/core/results/printable-pdf.ts';
import type { Printable } from '../../../src-main/core/results/printable.ts';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { readPdf } from '../../helpers/pdf.ts';
import { eventId } from './seed.ts';
import { awardsFinishFile, seedAwardsEvent } from './print-seed.ts';

let core: TestCore | undefined;
let dir: string | undefined;
afterEach(() => {
  core?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes the PDF to a file and reads the file back, as a person opening it would. */
function roundTrip(pdf: Buffer) {
  dir = mkdtempSync(join(tmpdir(), 'racedesk-pdf-'));
  const file = join(dir, 'sheet.pdf');
  writeFileSync(file, pdf);
  return readPdf(readFileSync(file));
}

describe('printed PDF', () => {
  it('holds the award winners with their accents, and says which characters it could not show', async () => {
    core = createTestCore();
    seedAwardsEvent(core.db);
    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: awardsFinishFile });
    const awards = await call(core, 'results.printable', { event: eventId, document: 'awards' });
    const printed = printableToPdf(awards);
    const read = roundTrip(printed.pdf);
    const shown = read.pages.flat();
    expect(shown[0]).toBe('City Run 2026 › City 10K — Awards');
    for (const heading of ['Overall', 'Female overall', 'Male overall', 'Female 30-39', 'Male 30-39']) expect(shown).toContain(heading);
    for (const winner of ['Lucía Peña', 'Ann Smith', 'Bob Jones', 'Cid Lee', 'Max Roth', 'Dee Park']) expect(shown).toContain(winner);
    expect(shown).not.toContain('Eve Núñez');
    // Ł is not in WinAnsi: printed as ?, twice (Female overall and Female 30-39), and said.
    expect(shown.filter((s) => s === 'Zoë ?ukasz')).toHaveLength(2);
    expect(printed.replaced).toEqual(['Ł', 'Ł']);
    expect(shown.join(' ')).toContain('Printed as "?": 2 characters this PDF\'s standard fonts cannot show');
    expect(read.pages[0].at(-1)).toMatch(new RegExp(`^Printed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d · Page 1 of ${read.pages.length}$`));
  });

  it('goes over pages with the group heading and the column headings again, and starts a new race on a new page', () => {
    const printable: Printable = {
      document: 'results',
      title: 'Harbor Run Day — Results',
      subtitle: 'Placed by chip time',
      columns: [
        { label: 'Place', align: 'right', width: 5 },
        { label: 'Name', align: 'left', width: 20 },
        { label: 'Time', align: 'right', width: 8 },
      ],
      groups: [
        { title: '5K', newPage: false, rows: Array.from({ length: 130 }, (_, i) => [String(i + 1), `Runner ${i + 1}`, '20:00']) },
        { title: 'Half Marathon', newPage: true, rows: [['1', 'Núñez Peña', '1:30:00']] },
      ],
      notes: [],
      fileName: 'harbor.pdf',
      printedAt: '2026-06-06T12:00:00.000Z',
    };
    const read = roundTrip(printableToPdf(printable).pdf);
    expect(read.pages.length).toBe(4);
    const [first, second, third, fourth] = read.pages;
    expect(first.slice(0, 6)).toEqual(['Harbor Run Day — Results', 'Placed by chip time', '5K', 'Place', 'Name', 'Time']);
    expect(second.slice(0, 5)).toEqual(['Harbor Run Day — Results', '5K (continued)', 'Place', 'Name', 'Time']);
    // Every runner once, in order, across the pages.
    const names = read.pages.flat().filter((s) => s.startsWith('Runner '));
    expect(names).toEqual(Array.from({ length: 130 }, (_, i) => `Runner ${i + 1}`));
    expect(third).toContain('Runner 130');
    expect(fourth.slice(0, 5)).toEqual(['Harbor Run Day — Results', 'Half Marathon', 'Place', 'Name', 'Time']);
    expect(fourth).toContain('Núñez Peña');
    expect(fourth.at(-1)).toMatch(/ · Page 4 of 4$/);
  });

  it('keeps a group that fits on a page together, moving it to the next page instead of splitting it', () => {
    const groups = Array.from({ length: 8 }, (_, g) => ({
      title: `Category ${g + 1}`,
      newPage: false,
      rows: Array.from({ length: 10 }, (_, i) => [String(i + 1), `Winner ${g + 1}.${i + 1}`, '20:00']),
    }));
    const read = roundTrip(
      printableToPdf({ document: 'awards', title: 'Awards', subtitle: '', columns: [{ label: 'Place', align: 'right', width: 1 }, { label: 'Name', align: 'left', width: 4 }, { label: 'Time', align: 'right', width: 1 }], groups, notes: [], fileName: 'a.pdf', printedAt: '2026-06-06T12:00:00.000Z' }).pdf,
    );
    expect(read.pages.length).toBeGreaterThan(1);
    expect(read.pages.flat().some((s) => s.endsWith('(continued)'))).toBe(false);
    for (const shown of read.pages) {
      // Every category on a page has all ten of its winners there.
      for (const title of shown.filter((s) => s.startsWith('Category '))) {
        const g = title.slice('Category '.length);
        expect(shown.filter((s) => s.startsWith(`Winner ${g}.`))).toHaveLength(10);
      }
    }
  });

  it('shortens a cell too wide for its column with an ellipsis instead of running into the next', () => {
    const read = roundTrip(
      printableToPdf({
        document: 'pickup',
        title: 'Pickup',
        subtitle: '',
        columns: [
          { label: 'Bib', align: 'right', width: 1 },
          { label: 'Team', align: 'left', width: 1 },
          { label: 'Picked up', align: 'left', width: 20 },
        ],
        groups: [{ title: null, newPage: false, rows: [['1', 'The Wonderful Wednesday Running Club', 'yes']] }],
        notes: [],
        fileName: 'p.pdf',
        printedAt: '2026-06-06T12:00:00.000Z',
      }).pdf,
    );
    const team = read.pages[0].find((s) => s.startsWith('The') || s.startsWith('T'));
    expect(team).toMatch(/^T.*…$/);
    expect(team!.length).toBeLessThan(10);
  });
});
