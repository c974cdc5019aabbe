import { deflateSync } from 'node:zlib';
import { toWinAnsi } from './win-ansi.ts';
import type { FontWeight } from './helvetica-metrics.ts';

/*
 * A small PDF 1.4 writer for printed sheets: text in the standard Type1 fonts Helvetica and
 * Helvetica-Bold (every PDF reader has them, so nothing is embedded) with WinAnsiEncoding, and
 * thin rules. Content streams are Flate-compressed; the cross-reference table records each
 * object's byte offset, which readers use to find the objects.
 */
export interface PdfText {
  x: number;
  /** The baseline, in points from the bottom of the page. */
  y: number;
  text: string;
  weight: FontWeight;
  size: number;
}

export interface PdfRule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
}

export interface PdfPage {
  texts: PdfText[];
  rules: PdfRule[];
}

export interface PdfDocument {
  /** The document's title, as a reader's window shows it. */
  title: string;
  /** Page size in points (US Letter is 612 x 792). */
  width: number;
  height: number;
  pages: PdfPage[];
}

const fontName: Record<FontWeight, string> = { regular: '/F1', bold: '/F2' };

const number = (value: number) => String(Math.round(value * 100) / 100);

/* A literal string: backslash, parentheses and bytes outside printable ASCII escaped, so the file stays readable. */
function literalString(text: string): string {
  let out = '';
  for (const byte of toWinAnsi(text).bytes) {
    const char = String.fromCharCode(byte);
    if (char === '\\' || char === '(' || char === ')') out += `\\${char}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += char;
  }
  return `(${out})`;
}

/* A text string outside content streams (the Info title): UTF-16BE with its byte-order mark, so any character survives. */
function unicodeString(text: string): string {
  return `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

function pageContent(page: PdfPage): string {
  const ops: string[] = [];
  for (const rule of page.rules) {
    ops.push(`${number(rule.width)} w ${number(rule.x1)} ${number(rule.y1)} m ${number(rule.x2)} ${number(rule.y2)} l S`);
  }
  for (const text of page.texts) {
    ops.push(`BT ${fontName[text.weight]} ${number(text.size)} Tf ${number(text.x)} ${number(text.y)} Td ${literalString(text.text)} Tj ET`);
  }
  return `${ops.join('\n')}\n`;
}

export function writePdf(document: PdfDocument): Buffer {
  // Objects 1-4 are fixed; each page then takes two numbers (the page and its content stream), and the Info dictionary comes last.
  const bodies: Buffer[] = [];
  const add = (body: string | Buffer) => bodies.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
  const pageIds = document.pages.map((_, i) => 5 + i * 2);
  const infoId = 5 + document.pages.length * 2;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} /MediaBox [0 0 ${number(document.width)} ${number(document.height)}] >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  for (const [i, page] of document.pages.entries()) {
    add(`<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageIds[i] + 1} 0 R >>`);
    const stream = deflateSync(Buffer.from(pageContent(page), 'latin1'));
    add(Buffer.concat([Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), stream, Buffer.from('\nendstream', 'latin1')]));
  }
  add(`<< /Title ${unicodeString(document.title)} /Producer (RaceDesk) >>`);

  // The second line's bytes above 127 tell transfer tools the file is binary (PDF 1.4, 3.4.1).
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0].length;
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(length);
    const object = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(object);
    length += object.length;
  });
  // Each cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, n/f, and a two-byte end of line.
  const xref = [`xref\n0 ${bodies.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R /Info ${infoId} 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
}
