/**
 * Folding used for every name, email and bib search: lower case, accents removed, and the
 * punctuation people skip when typing (apostrophes, hyphens, dots, spaces) dropped, so
 * "nunez" finds "Núñez" and "obrien" finds "O'Brien". Registered in SQLite as rd_fold() so the
 * search-index triggers and the lookup queries fold exactly the same way.
 */
export function foldForSearch(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const folded = String(value)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/[^\p{L}\p{N}@]+/gu, '');
  return folded.length > 0 ? folded : null;
}

/** Only the digits of a phone number, so "614-555-0134" and "(614) 555 0134" match. */
export function phoneDigits(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const digits = String(value).replace(/\D+/g, '');
  return digits.length > 0 ? digits : null;
}
