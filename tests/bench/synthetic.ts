import type { Db } from '../../src-main/core/store/database.ts';
import { emailLocalPart, familyNames, givenNames } from '../../src-main/datasets/synthetic/names.ts';
import { picker, seededRandom } from '../../src-main/datasets/synthetic/random.ts';
import { rebuildSearchIndex } from '../../src-main/core/store/search-index.ts';

/*
 * Realistic synthetic registrations for benchmarks: the simulators' hard-to-look-up names, many
 * duplicate names, several events across two providers. Deterministic (seeded) so runs compare.
 */
const cities = [['Westerville', 'OH'], ['Boise', 'ID'], ['Santa Fe', 'NM'], ['Québec', 'QC'], ['Portland', 'OR'], ['Austin', 'TX']];

export interface SyntheticLayout {
  participants: number;
  runsignupEvents: number;
  chronotrackEvents: number;
}

/** Fills a migrated store with `participants` registrations, 60% RunSignUp and 40% ChronoTrack. */
export function fillStore(db: Db, layout: SyntheticLayout, seed = 88): void {
  const rnd = seededRandom(seed);
  const pick = picker(rnd);
  const rsuCount = Math.round(layout.participants * 0.6);
  db.transaction(() => {
    const rsuEvent = db.prepare('INSERT INTO runsignup_events (event_id, race_id, name, start_time) VALUES (?, ?, ?, ?)');
    for (let e = 0; e < layout.runsignupEvents; e++) rsuEvent.run(900000 + e, 1000 + Math.floor(e / 2), e % 2 ? '10K' : '5K', '2026-06-14T08:00:00');
    const ctEvent = db.prepare('INSERT INTO ct_events (event_id, event_name, event_start_time) VALUES (?, ?, ?)');
    for (let e = 0; e < layout.chronotrackEvents; e++) ctEvent.run(`CT${e}`, `Harbour Day ${e}`, '2026-09-20T07:00:00Z');

    const rsu = db.prepare(
      `INSERT INTO runsignup_participants (race_id, event_id, registration_id, first_name, last_name, email, phone, bib_num, gender, dob, address)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ct = db.prepare(
      `INSERT INTO ct_participants (entry_id, event_id, athlete_first_name, athlete_last_name, athlete_email, athlete_mobile_phone, entry_bib, athlete_sex, athlete_birthdate, location)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < layout.participants; i++) {
      const [first] = pick(givenNames);
      const last = pick(familyNames);
      const [city, state] = pick(cities);
      const email = `${emailLocalPart(first)}.${emailLocalPart(last)}${i}@example.com`;
      const phone = `614-555-${String(i % 10000).padStart(4, '0')}`;
      const dob = `19${50 + Math.floor(rnd() * 55)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`;
      const gender = rnd() < 0.5 ? 'F' : 'M';
      if (i < rsuCount) {
        const event = i % layout.runsignupEvents;
        const bib = String(Math.floor(i / layout.runsignupEvents) + 1);
        rsu.run(1000 + Math.floor(event / 2), 900000 + event, 60000000 + i, first, last, email, phone, bib, gender, dob, JSON.stringify({ city, state }));
      } else {
        const event = i % layout.chronotrackEvents;
        const bib = String(Math.floor(i / layout.chronotrackEvents) + 1);
        ct.run(`en${i}`, `CT${event}`, first, last, email, phone, bib, gender, dob, JSON.stringify({ city, region: state }));
      }
    }
    // Written past the store's writers, so the lookup index is built as the migration builds it.
    rebuildSearchIndex(db);
  })();
}
