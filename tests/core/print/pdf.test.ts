import { describe, it, expect } from 'vitest';
import { writePdf } from '../../../src-main/core/print/pdf.ts';
import { toWinAnsi } from '../../../src-main/core/print/win-ansi.ts';
import { readPdf } from '../../helpers/pdf.ts';

describe('PDF writer', () => {
  it('writes PDF 1.4 whose cross-reference offsets each point at their object, pages in order', () => {
    const pdf = writePdf({
      title: 'Résultats — 王',
      width: 612,
      height: 792,
      pages: [
        { texts: [{ x: 40, y: 700, text: 'Page one (first) \\ back', weight: 'bold', size: 12 }], rules: [{ x1: 40, y1: 690, x2: 572, y2: 690, width: 0.5 }] },
        { texts: [{ x: 40, y: 700, text: 'Peña, Núñez, Zoë › 10K — 5 €', weight: 'regular', size: 9 }], rules: [] },
      ],
    });
    const read = readPdf(pdf);
    expect(read.version).toBe('1.4');
    expect(read.pages).toEqual([['Page one (first) \\ back'], ['Peña, Núñez, Zoë › 10K — 5 €']]);
    // Catalog, page tree, two fonts, a page and its content each, and the Info dictionary, plus the free entry 0.
    expect(read.size).toBe(1 + 4 + 2 * 2 + 1);
    const fonts = [...read.objects.values()].filter((o) => o.dictionary.includes('/Type /Font')).map((o) => o.dictionary);
    expect(fonts).toEqual([
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    ]);
    const info = [...read.objects.values()].find((o) => o.dictionary.includes('/Producer'))?.dictionary ?? '';
    const title = /\/Title <([0-9A-F]+)>/.exec(info)?.[1] ?? '';
    expect(Buffer.from(title, 'hex').subarray(2).swap16().toString('utf16le')).toBe('Résultats — 王');
  });
});

describe('WinAnsi encoding', () => {
  it('keeps Latin letters and typographic marks, and replaces the rest visibly', () => {
    expect(toWinAnsi('Peña').bytes).toEqual([0x50, 0x65, 0xf1, 0x61]);
    // n + combining tilde is the same ñ.
    expect(toWinAnsi('Pen\u0303a').bytes).toEqual([0x50, 0x65, 0xf1, 0x61]);
    expect(toWinAnsi('› — € ’').bytes).toEqual([0x9b, 0x20, 0x97, 0x20, 0x80, 0x20, 0x92]);
    expect(toWinAnsi('Łukasz 王\t1')).toEqual({ bytes: [...Buffer.from('?ukasz ? 1', 'latin1')], replaced: ['Ł', '王'] });
  });
});
