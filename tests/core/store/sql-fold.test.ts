import { describe, expect, it } from 'vitest';
import { foldForSearch, nameKey, phoneDigits } from '../../../src-main/core/store/sql-fold.ts';
import { openDatabase } from '../../../src-main/core/store/database.ts';

// The Unicode fold as written before the ASCII fast path: the fast path must give exactly this.
const unicodeFold = (value: string) => {
  const folded = value.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/ł/g, 'l').replace(/[^\p{L}\p{N}@]+/gu, '');
  return folded.length > 0 ? folded : null;
};

const everyAscii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

describe('search folding', () => {
  it('folds plain ASCII exactly as the Unicode fold does, character by character and in names', () => {
    for (const c of everyAscii) expect([c, foldForSearch(`a${c}Z`)]).toEqual([c, unicodeFold(`a${c}Z`)]);
    for (const name of ["O'Brien", 'Mary-Kate', 'van der Berg', 'J. R. R.', 'ADA@Example.COM', '  ', '---', 'St-Pierre', 'x\ty\nz']) {
      expect(foldForSearch(name)).toBe(unicodeFold(name));
    }
  });

  it('keeps folding accents and special letters', () => {
    expect(foldForSearch('Núñez')).toBe('nunez');
    expect(foldForSearch('Strauß-Øster Łukasz Æsir')).toBe('straussosterlukaszaesir');
    expect(nameKey("D'Arcy-Núñez", 'St-Pierre')).toBe(' darcynunez arcynunez nunez stpierre saintpierre pierre');
    expect(nameKey('Mary-Kate', "O'Brien")).toBe(' marykate kate obrien brien');
    expect(phoneDigits('(614) 555-0134')).toBe('6145550134');
  });

  it('is what rd_fold gives SQL', () => {
    const db = openDatabase(':memory:');
    expect(db.prepare(`SELECT rd_fold(?) AS a, rd_fold(?) AS b`).get("O'Brien", 'Núñez')).toEqual({ a: 'obrien', b: 'nunez' });
    db.close();
  });
});
