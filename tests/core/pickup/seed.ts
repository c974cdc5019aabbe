import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import type { Db } from '../../../src-main/core/store/database.ts';

/*
 * A small venue through the real provider write path (store/upsert.ts): a RunSignUp race with a
 * 5K (event 101) and a 10K (event 102), and a ChronoTrack race day with one entry, so tests see
 * two providers, accents and a bib that exists in both RunSignUp events.
 */
export const runners = {
  ana: { provider: 'runsignup', participantId: '5001' },
  jose: { provider: 'runsignup', participantId: '5002' },
  obrien: { provider: 'runsignup', participantId: '5003' },
  tenK: { provider: 'runsignup', participantId: '5004' },
  ct: { provider: 'chronotrack', participantId: 'E-1' },
} as const;

export function seedVenue(db: Db): void {
  db.transaction(() => {
    upsertRows(db, 'runsignup_events', ['event_id'], [
      { event_id: 101, race_id: 1, name: '5K', race_name: 'City Run 2026', start_time: '2026-05-02T08:00:00' },
      { event_id: 102, race_id: 1, name: '10K', race_name: 'City Run 2026', start_time: '2026-05-02T09:00:00' },
    ]);
    const person = (registration_id: number, event_id: number, first_name: string, last_name: string, bib_num: string | null, gender: string, dob: string) => ({
      registration_id,
      event_id,
      race_id: 1,
      first_name,
      last_name,
      bib_num,
      gender,
      dob,
      email: `${first_name.toLowerCase()}@example.com`,
      address: JSON.stringify({ city: 'Columbus', state: 'OH' }),
      team_name: null,
      additional_data: JSON.stringify({ shirt_size: 'M' }),
    });
    upsertRows(db, 'runsignup_participants', ['registration_id'], [
      person(5001, 101, 'Ana', 'Núñez', '10', 'F', '1990-06-01'),
      person(5002, 101, 'José', 'García', '11', 'M', '1985-01-15'),
      person(5003, 101, 'Liam', "O'Brien", '12', 'M', '2000-12-31'),
      person(5004, 102, 'Zoë', 'Müller', '10', 'F', '1979-03-03'),
    ]);
    upsertRows(db, 'ct_events', ['event_id'], [{ event_id: 'CT-9', event_name: 'Harbour Half', event_start_time: '2026-05-03T07:00:00Z' }]);
    upsertRows(db, 'ct_participants', ['entry_id'], [
      { entry_id: 'E-1', event_id: 'CT-9', athlete_first_name: 'Chen', athlete_last_name: 'Wei', athlete_sex: 'M', entry_bib: '500', wave_name: 'Wave A' },
    ]);
  })();
}
