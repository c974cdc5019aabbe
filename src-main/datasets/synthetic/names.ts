/*
 * The people of every synthetic dataset. The names are chosen to exercise what breaks lookups at
 * pickup: accents, apostrophes, hyphens, particles, two-word names, letters that do not decompose
 * (Ł, Ø), and near-duplicates that share a prefix (Smith, Smithers, Smythe; Núñez, Nunes).
 * Providers with their own gender codes add their quirks (non-binary, undisclosed) beside them.
 */

export type Sex = 'F' | 'M';

export const givenNames: ReadonlyArray<readonly [name: string, sex: Sex]> = [
  ['Zoë', 'F'], ['José', 'M'], ['María', 'F'], ['Seán', 'M'], ['Siobhán', 'F'], ['Björn', 'M'], ['Renée', 'F'],
  ['Łukasz', 'M'], ['Chloé', 'F'], ['François', 'M'], ['Ngozi', 'F'], ['Kwame', 'M'], ['Mei-Ling', 'F'], ['Jürgen', 'M'],
  ['Aoife', 'F'], ['Tomás', 'M'], ['Priya', 'F'], ['Darnell', 'M'], ['Ana Lucía', 'F'], ["D'Arcy", 'M'],
  ['Hélène', 'F'], ['Émile', 'M'], ['Inés', 'F'], ['Søren', 'M'], ['Maëlle', 'F'], ['Íñigo', 'M'], ['Małgorzata', 'F'],
  ['Thành', 'M'], ['Ingrid', 'F'], ['Mateo', 'M'], ['Emily', 'F'], ['Michael', 'M'], ['Sarah', 'F'], ['David', 'M'],
  ['Olivia', 'F'], ['Liam', 'M'], ['Mei', 'F'], ['Noah', 'M'],
];

export const givenNamesBySex: Readonly<Record<Sex, readonly string[]>> = {
  F: givenNames.filter(([, sex]) => sex === 'F').map(([name]) => name),
  M: givenNames.filter(([, sex]) => sex === 'M').map(([name]) => name),
};

export const familyNames: readonly string[] = [
  'Núñez', 'Nunes', "O'Brien", "O'Neill", "O'Connor-Smith", 'Smith', 'Smithers', 'Smythe', 'Müller', 'Murphy',
  'García', 'García-López', 'García Márquez', 'Nguyen', 'Nguyễn', "D'Angelo", "L'Hôte", 'Østergaard', 'Øberg',
  'Kowalczyk', 'Kowalski', 'Łukasik', 'Wiśniewski', 'Okonkwo-Brandt', 'Okafor', 'Van der Berg', 'MacDonald',
  'Ó Súilleabháin', 'Lefèvre', 'Côté', 'St-Pierre', 'Håkansson', 'Lindqvist', 'Schäfer', 'Çelik', 'Peña',
  'Fernández', 'Sánchez de la Fuente', 'Al-Sayed', 'Dubois', 'Johnson', 'Williams', 'Brown', 'Rossi', 'Kim', 'Lee',
];

/** "Núñez" -> "nunez", "O'Brien" -> "obrien", "Łukasz" -> "lukasz": how people type their e-mail addresses. */
export function emailLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/gi, 'l')
    .replace(/ø/gi, 'o')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
