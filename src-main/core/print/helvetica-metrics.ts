/*
 * Advance widths (1/1000 em) of Helvetica and Helvetica-Bold for ASCII 0x20-0x7E, from Adobe's
 * AFM files for the standard 14 fonts. An accented letter is as wide as its base letter in these
 * fonts (Ñ as N, é as e), so it is measured by its base; anything else counts as a digit's width.
 */
const regular = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
  556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const bold = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
  611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];
/* The Latin-1 letters that are not a base letter with an accent. */
const special: Record<string, [number, number]> = { Æ: [1000, 1000], æ: [889, 889], Ø: [778, 778], ø: [611, 611], ß: [611, 611], '…': [1000, 1000], '—': [1000, 1000] };

export type FontWeight = 'regular' | 'bold';

function charWidth(char: string, weight: FontWeight): number {
  const known = special[char];
  if (known) return known[weight === 'bold' ? 1 : 0];
  const base = char.normalize('NFD').codePointAt(0) as number;
  const table = weight === 'bold' ? bold : regular;
  return base >= 0x20 && base <= 0x7e ? table[base - 0x20] : 556;
}

/** The width of text in points at a font size. */
export function textWidth(text: string, weight: FontWeight, size: number): number {
  let units = 0;
  for (const char of text) units += charWidth(char, weight);
  return (units * size) / 1000;
}
