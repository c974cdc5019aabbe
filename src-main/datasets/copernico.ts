/*
 * A deterministic Copernico world for the simulator: races (slug ids) with events, and athletes
 * in the production layout of GET /api/races/{race}/athlete/{id} (copernico.md §4.4): times and
 * rankings keyed by free-text split names, milliseconds everywhere, positions computed like
 * Copernico's (pos 0 = not ranked). One name arrives double-encoded, as real accounts send some.
 */
import { familyNames, givenNames } from './synthetic/names.ts';
import { picker, randomBirthdate, seededRandom } from './synthetic/random.ts';

export type CopRecord = Record<string, unknown>;

export interface CopRace {
  /** GET /api/races/{id} data. */
  detail: CopRecord & { id: string; events: CopRecord[] };
  /** Athlete records as GET .../athlete/{id} data (production layout, events[] inside). */
  athletes: CopRecord[];
}

export interface CopWorld {
  races: CopRace[];
  /** Races that exist but belong to another company: the key gets 403 for them. */
  foreignRaceIds: string[];
}

export interface CopDatasetOptions {
  seed?: number;
  /** Athletes per race (default 12). Demo mode uses a few hundred. */
  athletesPerRace?: number;
}

/** UTF-8 bytes read back as Windows-1252: how "Émilie" becomes "Ã‰milie" on the wire. */
export function doubleEncode(value: string): string {
  const high = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
  return [...new TextEncoder().encode(value)].map((b) => (b >= 0x80 && b < 0xa0 ? high[b - 0x80] : String.fromCharCode(b))).join('');
}

/** Copernico spells gender out. */
const people = givenNames.map(([name, sex]) => [name, sex === 'F' ? 'female' : 'male'] as const);
const clubs = ['', '', 'CA Costa del Sol', 'Running Club Nîmes', 'Los Lentos de Nerja', "Club d'Athlétisme Perpignan"];
const nationalities = ['ESP', 'ESP', 'ESP', 'FRA', 'PRT', 'GBR'];

const raceTemplates = [
  {
    id: 'media-maraton-rio-verde-2026', name: 'Media Maratón Río Verde 2026', date: '2026-11-15', location: 'Marbella, Málaga', status: 'finished',
    events: [
      { name: '21K', distance: 21097, date: '2026-11-15T09:00:00+01:00', splits: [['Salida', 0], ['5K', 5000], ['10K', 10000], ['Meta', 21097]] as Array<[string, number]>, price: 28 },
      { name: '10K', distance: 10000, date: '2026-11-15T09:15:00+01:00', splits: [['Salida', 0], ['5K', 5000], ['Meta', 10000]] as Array<[string, number]>, price: 18 },
    ],
  },
  {
    id: 'trail-sierra-alta-2026', name: 'Trail Sierra Alta 2026', date: '2026-12-06', location: 'Ronda, Málaga', status: 'open',
    events: [{ name: 'Trail 25K', distance: 25000, date: '2026-12-06T08:30:00+01:00', splits: [['Salida', 0], ['Meta', 25000]] as Array<[string, number]>, price: 35 }],
  },
];

function category(gender: string, age: number): string {
  const letter = gender === 'male' ? 'M' : 'F';
  if (age < 23) return `Sub 23 ${letter}`;
  if (age < 40) return `Senior ${letter}`;
  return `${letter}${Math.floor(age / 5) * 5}`;
}

export function copernicoDataset(options: CopDatasetOptions = {}): CopWorld {
  const random = seededRandom(options.seed ?? 2026);
  const pick = picker(random);
  const perRace = options.athletesPerRace ?? 12;
  const ids = new Set<string>();
  const newId = () => {
    let id: string;
    do id = Array.from({ length: 8 }, () => '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(random() * 34)]).join('');
    while (ids.has(id));
    ids.add(id);
    return id;
  };

  const races = raceTemplates.map((template, r): CopRace => {
    const detail = {
      id: template.id, name: template.name, timezone: 'Europe/Madrid', date: template.date, location: template.location,
      company: 'Cronometrajes Sur S.L.', status: template.status,
      events: template.events.map((e, i) => ({
        id: `5f1c2a90-3b7e-4d21-9c55-a1e0b7d4c${r}${String(i).padStart(2, '0')}`, name: e.name, distance: e.distance, date: e.date,
        discipline: e.name.startsWith('Trail') ? 'trail' : 'running', type: 'individual', maxParticipants: 2500, price: e.price, currency: 'EUR',
      })),
    };
    const athletes: CopRecord[] = [];
    for (let i = 0; i < perRace; i++) {
      const event = template.events[i % template.events.length];
      const [first, gender] = pick(people);
      const { year, date: birthdate } = randomBirthdate(random, 1960, 45);
      const age = Number(template.date.slice(0, 4)) - year;
      const raced = template.status === 'finished';
      const status = !raced || i % 7 === 3 ? 'notstarted' : i % 9 === 5 ? 'dnf' : 'finished';
      const gun = Date.parse(event.date);
      const offset = Math.round(random() * 60_000);
      const pace = (event.distance === 21097 ? 240_000 : 260_000) + random() * 180_000; // ms per km
      const reached = status === 'finished' ? event.splits : status === 'dnf' ? event.splits.slice(0, -1) : [];
      const times = Object.fromEntries(
        reached.map(([name, metres], order) => {
          const net = Math.round((metres / 1000) * pace);
          const time = net + offset;
          return [name, { split: name, order, distance: metres, time, netTime: net, average: 0, averageNet: 0,
            raw: { created: gun + time + 150, time: gun + time, chip: `E28011700000020${i}`, location: name, device: `box-0${order + 1}`, valid: true, offset: 0, originalTime: gun + time, rawTime: gun + time } }];
        }),
      );
      athletes.push({
        id: newId(),
        name: i === 2 ? doubleEncode('Émilie') : first,
        surname: pick(familyNames),
        gender,
        birthdate,
        club: i === 2 ? doubleEncode('Running Club Nîmes') : pick(clubs),
        nationality: pick(nationalities),
        events: [{
          event: event.name, dorsal: 1 + r * 1000 + i, chip: [`E28011700000020${i}`], team: '', category: category(gender, age),
          attributes: i % 4 === 0 ? { Licencia: `AND-${10000 + i}` } : {},
          status, realStatus: status,
          startTime: raced ? new Date(gun).toISOString() : null, startRawTime: raced ? gun : 0, startNetTime: raced ? gun + offset : 0,
          distance: event.distance, times, rankings: {},
        }],
      });
    }
    rank(athletes);
    return { detail, athletes };
  });
  return { races, foreignRaceIds: ['carrera-nocturna-puerto-2026'] };
}

/** Recomputes rankings per event like Copernico: pos by gun, posNet by net, within gender and category too. */
export function rank(athletes: CopRecord[]): void {
  const blocks = athletes.map((a) => ({ athlete: a, block: (a.events as CopRecord[])[0] }));
  for (const { block } of blocks) block.rankings = {};
  const splitNames = new Set(blocks.flatMap(({ block }) => Object.keys(block.times as CopRecord)));
  for (const split of splitNames) {
    const timed = blocks.filter(({ block }) => (block.times as Record<string, CopRecord>)[split]);
    const place = (list: typeof timed, field: 'time' | 'netTime', item: (typeof timed)[number]) =>
      list
        .filter((x) => x.block.event === item.block.event)
        .sort((a, b) => Number((a.block.times as Record<string, CopRecord>)[split][field]) - Number((b.block.times as Record<string, CopRecord>)[split][field]))
        .indexOf(item) + 1;
    for (const item of timed) {
      const t = (item.block.times as Record<string, CopRecord>)[split];
      const sameGender = timed.filter((x) => x.athlete.gender === item.athlete.gender);
      const sameCategory = timed.filter((x) => x.block.category === item.block.category);
      (item.block.rankings as CopRecord)[split] = {
        id: split, time: t.time, net: t.netTime, average: 0, averageNet: 0, location: split, rawTime: (t.raw as CopRecord).time, new: false,
        pos: place(timed, 'time', item), posGen: place(sameGender, 'time', item), posCat: place(sameCategory, 'time', item),
        posNet: place(timed, 'netTime', item), posGenNet: place(sameGender, 'netTime', item), posCatNet: place(sameCategory, 'netTime', item),
      };
    }
  }
}

/** The /athletes list item for an athlete record. */
export function summaryOf(athlete: CopRecord): CopRecord {
  const block = (athlete.events as CopRecord[])[0] ?? {};
  return {
    id: athlete.id, name: athlete.name, surname: athlete.surname, dorsal: block.dorsal, gender: athlete.gender, birthdate: athlete.birthdate,
    nationality: athlete.nationality, club: athlete.club, event: block.event, category: block.category, status: block.status,
  };
}
