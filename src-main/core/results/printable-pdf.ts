import { writePdf, type PdfPage } from '../print/pdf.ts';
import { textWidth, type FontWeight } from '../print/helvetica-metrics.ts';
import { replacementCharacter, toWinAnsi } from '../print/win-ansi.ts';
import type { Printable } from './printable.ts';

/*
 * A printable as Letter or A4 pages: the title on the first page (shorter on the next ones), each
 * group under its heading with the column headings again wherever a group goes over a page, a
 * group marked newPage (the next race) on a page of its own, a group that fits on a page kept
 * together, and "Page i of n" at the foot. The print view's CSS (print-view.css) follows the same rules.
 */
/* Sizes in points: North American crews print on Letter, most others on A4. */
export const paperSizes = { letter: { width: 612, height: 792 }, a4: { width: 595.28, height: 841.89 } } as const;
export type Paper = keyof typeof paperSizes;
const margin = { side: 40, bottom: 48 };
const rowSize = 9;
const rowLeading = 12.5;
const headerSize = 8.5;
const groupTitleSize = 11;
const columnGap = 6;

export interface PrintedPdf {
  pdf: Buffer;
  pages: number;
  /** Characters the standard fonts cannot show, printed as '?' (and said in a note on the sheet). */
  replaced: string[];
}

function fitted(text: string, weight: FontWeight, size: number, width: number): string {
  if (textWidth(text, weight, size) <= width) return text;
  const chars = Array.from(text);
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, weight, size) > width) chars.pop();
  return `${chars.join('')}…`;
}

function wrapped(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    const next = current === '' ? word : `${current} ${word}`;
    if (current !== '' && textWidth(next, 'regular', size) > width) {
      lines.push(current);
      current = word;
    } else {
      current = next;
    }
  }
  return current === '' ? lines : [...lines, current];
}

const localTime = (iso: string) => {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
};

export function printableToPdf(printable: Printable, paper: Paper = 'letter'): PrintedPdf {
  const page = { ...paperSizes[paper], margin: margin.side, bottom: margin.bottom };
  const contentWidth = page.width - 2 * page.margin;
  const everyText = [printable.title, printable.subtitle, ...printable.columns.map((c) => c.label), ...printable.notes, ...printable.groups.flatMap((g) => [g.title ?? '', ...g.rows.flat()])];
  const replaced = everyText.flatMap((text) => toWinAnsi(text).replaced);
  const notes = [
    ...printable.notes,
    ...(replaced.length > 0
      ? [`Printed as "${replacementCharacter}": ${replaced.length === 1 ? '1 character' : `${replaced.length} characters`} this PDF's standard fonts cannot show; the browser print shows every name as registered.`]
      : []),
  ];

  const totalWeight = printable.columns.reduce((sum, column) => sum + column.width, 0);
  let x = page.margin;
  const columns = printable.columns.map((column) => {
    const width = (column.width / totalWeight) * contentWidth;
    const placed = { ...column, x, width };
    x += width;
    return placed;
  });

  const pages: PdfPage[] = [];
  let current: PdfPage = { texts: [], rules: [] };
  let y = 0;
  /** Where the page's groups begin, below its title. */
  let contentTop = 0;
  const text = (value: string, at: number, weight: FontWeight, size: number) => current.texts.push({ x: at, y, text: value, weight, size });
  const startPage = () => {
    current = { texts: [], rules: [] };
    pages.push(current);
    y = page.height - page.margin;
    if (pages.length === 1) {
      y -= 15;
      text(fitted(printable.title, 'bold', 15, contentWidth), page.margin, 'bold', 15);
      y -= 14;
      text(fitted(printable.subtitle, 'regular', 9, contentWidth), page.margin, 'regular', 9);
      y -= 10;
    } else {
      y -= 10;
      text(fitted(printable.title, 'bold', 10, contentWidth), page.margin, 'bold', 10);
      y -= 6;
    }
    contentTop = y;
  };
  const columnHeadings = () => {
    y -= headerSize + 6;
    for (const column of columns) cellText(column, column.label, 'bold', headerSize);
    current.rules.push({ x1: page.margin, y1: y - 3, x2: page.margin + contentWidth, y2: y - 3, width: 0.6 });
    y -= 4;
  };
  const cellText = (column: (typeof columns)[number], value: string, weight: FontWeight, size: number) => {
    const shown = fitted(value, weight, size, column.width - columnGap);
    const at = column.align === 'right' ? column.x + column.width - columnGap - textWidth(shown, weight, size) : column.x;
    text(shown, at, weight, size);
  };
  const groupTitle = (title: string | null, continued: boolean) => {
    if (title === null) return;
    y -= groupTitleSize + 8;
    text(fitted(continued ? `${title} (continued)` : title, 'bold', groupTitleSize, contentWidth), page.margin, 'bold', groupTitleSize);
  };
  const room = (height: number) => y - height >= page.bottom;
  const firstOnPage = () => y === contentTop;

  startPage();
  for (const group of printable.groups) {
    const opening = (group.title === null ? 0 : groupTitleSize + 8) + headerSize + 10 + rowLeading;
    const whole = opening + (group.rows.length - 1) * rowLeading;
    // A group that fits on a page is not split (an award category stays together); a longer one starts where there is room.
    const fitsOnAPage = whole <= page.height - page.margin - 16 - page.bottom;
    if ((group.newPage && !firstOnPage()) || !room(opening) || (fitsOnAPage && !room(whole) && !firstOnPage())) startPage();
    groupTitle(group.title, false);
    columnHeadings();
    for (const row of group.rows) {
      if (!room(rowLeading)) {
        startPage();
        groupTitle(group.title, true);
        columnHeadings();
      }
      y -= rowLeading;
      row.forEach((value, i) => cellText(columns[i], value, 'regular', rowSize));
    }
    y -= 6;
  }
  for (const note of notes) {
    for (const line of wrapped(note, headerSize, contentWidth)) {
      if (!room(headerSize + 4)) startPage();
      y -= headerSize + 4;
      text(line, page.margin, 'regular', headerSize);
    }
  }

  const printed = `Printed ${localTime(printable.printedAt)}`;
  pages.forEach((p, i) => {
    const footer = `${printed} · Page ${i + 1} of ${pages.length}`;
    p.texts.push({ x: page.width - page.margin - textWidth(footer, 'regular', 8), y: 28, text: footer, weight: 'regular', size: 8 });
  });
  return { pdf: writePdf({ title: printable.title, width: page.width, height: page.height, pages }), pages: pages.length, replaced };
}
