// Plain ASCII (most names, every e-mail) needs no Unicode normalisation: lower case is the whole fold.
const plainAscii = /^[^\u0080-\uffff]*$/;

/** Lower case, accents removed, and the letters that do not decompose spelled out in plain letters. */
function foldLetters(value: string): string {
  if (plainAscii.test(value)) return value.toLowerCase();
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l');
}

/** What folding drops: the punctuation and spaces people skip when typing. */
const skipped = /[^\p{L}\p{N}@]+/gu;

/**
 * Folding used for every name, email and bib search: lower case, accents removed, and the
 * punctuation people skip when typing (apostrophes, hyphens, dots, spaces) dropped, so
 * "nunez" finds "Núñez" and "obrien" finds "O'Brien". Registered in SQLite as rd_fold() so the
 * search-index triggers and the lookup queries fold exactly the same way.
 */
export function foldForSearch(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  // In ASCII, what folding keeps is exactly letters, digits and @.
  const folded = plainAscii.test(text) ? text.toLowerCase().replace(/[^a-z0-9@]+/g, '') : foldLetters(text).replace(skipped, '');
  return folded.length > 0 ? folded : null;
}

/** Spellings of one name part that runners say either way: "St-Pierre" is also "Saint-Pierre". */
const partAliases: Readonly<Record<string, readonly string[]>> = {
  st: ['saint'],
  saint: ['st'],
  ste: ['sainte'],
  sainte: ['ste'],
};

/**
 * The name key of a runner (participant_search.name_key, registered as rd_name_key()): every place
 * a typed word may start inside the first and last names, each a space-led entry. A name's parts
 * are what the punctuation and spaces separate ("Mary-Kate", "van der Berg", "D'Arcy-Núñez"); an
 * entry is the folded rest of the name from the start of one part ("vanderberg", "derberg",
 * "berg"), so a word matches a runner when the key contains " " + word — "o brien", "garcia
 * marquez" and "nunez" for D'Arcy-Núñez all do. The first entry of each name is its whole fold
 * (first_fold, last_fold); the others go to participant_name_tokens for the index.
 */
export function nameKey(first: string | null | undefined, last: string | null | undefined): string | null {
  const entries = new Set<string>();
  for (const name of [first, last]) {
    if (name === null || name === undefined) continue;
    const parts = foldLetters(String(name)).split(skipped).filter((part) => part.length > 0);
    parts.forEach((part, index) => {
      const rest = parts.slice(index + 1).join('');
      for (const spelling of [part, ...(partAliases[part] ?? [])]) entries.add(spelling + rest);
    });
  }
  return entries.size > 0 ? ` ${[...entries].join(' ')}` : null;
}

/** Only the digits of a phone number, so "614-555-0134" and "(614) 555 0134" match. */
export function phoneDigits(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const digits = String(value).replace(/\D+/g, '');
  return digits.length > 0 ? digits : null;
}
