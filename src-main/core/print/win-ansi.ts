/*
 * WinAnsiEncoding (PDF 1.4, Appendix D): the one-byte encoding the standard Type1 fonts are
 * written in. 0x20-0x7E are ASCII and 0xA0-0xFF are Latin-1, so Peña and Núñez keep their
 * letters; 0x80-0x9F hold the typographic marks below (the › RaceDesk writes between an event
 * and its race is 0x9B). Anything else cannot be shown by Helvetica without embedding a font.
 */
const highCodes: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02c6: 0x88,
  0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93,
  0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/** What is printed in place of a character the encoding lacks, so the gap is visible on paper. */
export const replacementCharacter = '?';

export interface WinAnsiText {
  bytes: number[];
  /** The characters that were replaced, in order (a name may hold several). */
  replaced: string[];
}

function winAnsiByte(char: string): number | undefined {
  const code = char.codePointAt(0) as number;
  // A tab or line break inside a cell prints as a space: a table line has one line of text.
  if (code < 0x20 && /\s/.test(char)) return 0x20;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return highCodes[code];
}

export function toWinAnsi(text: string): WinAnsiText {
  const bytes: number[] = [];
  const replaced: string[] = [];
  // NFC first: a name typed as "n" + combining tilde is still the ñ WinAnsi has.
  for (const char of text.normalize('NFC')) {
    const byte = winAnsiByte(char);
    if (byte === undefined) replaced.push(char);
    bytes.push(byte ?? replacementCharacter.charCodeAt(0));
  }
  return { bytes, replaced };
}
