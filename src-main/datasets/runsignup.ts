/*
 * Deterministic synthetic RunSignUp data for the simulator (tests and demo mode), in the API's own
 * record shapes (runsignup.md §3), with the shared hard-to-look-up names and people who share a name.
 */
import { emailLocalPart, familyNames, givenNamesBySex } from './synthetic/names.ts';
import { picker, randomBirthdate, seededRandom } from './synthetic/random.ts';

export type RunSignUpRecord = Record<string, unknown>;

export interface RunSignUpDatasetRace {
  /** Race fields as GET /races returns them, without "events". */
  race: RunSignUpRecord & { race_id: number; name: string };
  events: Array<RunSignUpRecord & { event_id: number; name: string; start_time: string | null }>;
}

export interface RunSignUpParticipantRecord extends RunSignUpRecord {
  registration_id: number;
  event_id: number;
  last_modified: number;
  user: RunSignUpRecord;
}

export interface RunSignUpRemovedRecord {
  registration_id: number;
  event_id: number;
  removed_reason: string;
  new_registration_id: number;
  /** Epoch seconds; the API shows it as "YYYY-MM-DD HH:MM:SS" US Eastern. */
  removed_at: number;
}

export interface RunSignUpDataset {
  races: RunSignUpDatasetRace[];
  participants: RunSignUpParticipantRecord[];
  removed: RunSignUpRemovedRecord[];
}

export interface RunSignUpDatasetOptions {
  seed?: number;
  races?: number;
  eventsPerRace?: number;
  participantsPerEvent?: number;
  /**
   * Year of the race days (June to October); default next year, so that the races stay in
   * RunSignUp's listing of current races, as a real account's upcoming races are.
   */
  raceYear?: number;
}

const cities = [
  { city: 'Westerville', state: 'OH', zipcode: '43081', area: '614' },
  { city: 'Columbus', state: 'OH', zipcode: '43215', area: '614' },
  { city: 'Holland', state: 'MI', zipcode: '49423', area: '616' },
  { city: 'Grand Rapids', state: 'MI', zipcode: '49503', area: '616' },
  { city: 'Asheville', state: 'NC', zipcode: '28801', area: '828' },
  { city: 'Boulder', state: 'CO', zipcode: '80302', area: '303' },
  { city: 'Santa Fe', state: 'NM', zipcode: '87501', area: '505' },
];
const streets = ['Birch St', 'Maple Ave', 'Harbor Dr', 'Main St', 'Park Lane', 'Old Mill Rd', 'Cedar Ct'];
// The leading space is deliberate: real race names carry them (runsignup.md §1, S10).
const raceNames = [
  'Maple Hollow 5K & 10K',
  ' Lakeside Turkey Trot',
  'Riverside Half Marathon',
  'Frostbite Fun Run',
  'Cinco de Mayo Fiesta Run',
  'Harvest Moon Relay',
];
const eventKinds = [
  { name: '5K', distance: '5K' },
  { name: '10K', distance: '10K' },
  { name: 'Half Marathon', distance: '13.1 Miles' },
  { name: '1 Mile Fun Run', distance: '1 Mile' },
];
const shirtSizes = ["Women's S", "Women's M", "Men's M", "Men's L", 'Youth M', 'Unisex XL'];
const charities = ['Riverkeeper Alliance', "Children's Hospital Foundation", 'Food Bank of the Valley'];
const teams = [
  { team_id: 88214, team_name: 'Hollow Harriers', team_type_id: 3, team_type: 'Running Club', team_gender: 'X' },
  { team_id: 88305, team_name: "Mom's Run Crew", team_type_id: 2, team_type: 'Friends & Family', team_gender: 'F' },
];

const money = (amount: number) => `$${amount.toFixed(2)}`;
const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch seconds -> RunSignUp's "M/D/YYYY HH:MM" (UTC is close enough for synthetic data). */
export function runSignUpDateTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function mmddyyyy(date: Date): string {
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()}`;
}

/** Registrations open 2025-01-06 and run until late May 2025. */
const registrationStart = Date.UTC(2025, 0, 6) / 1000;
const registrationSpan = 140 * 86_400;

export function makeRunSignUpDataset(options: RunSignUpDatasetOptions = {}): RunSignUpDataset {
  const seed = options.seed ?? 88;
  const raceCount = options.races ?? 2;
  const eventsPerRace = options.eventsPerRace ?? 2;
  const perEvent = options.participantsPerEvent ?? 12;
  const raceYear = options.raceYear ?? new Date().getUTCFullYear() + 1;
  const next = seededRandom(seed);
  const pick = picker(next);

  const races: RunSignUpDatasetRace[] = [];
  const participants: RunSignUpParticipantRecord[] = [];
  let registrationId = 61_230_000;
  let userId = 50_110_000;

  for (let r = 0; r < raceCount; r++) {
    const raceId = 148_210 + r * 137;
    const place = cities[r % cities.length];
    const raceDay = new Date(Date.UTC(raceYear, 5 + (r % 5), 6 + ((r * 7) % 20)));
    const baseName = raceNames[r % raceNames.length];
    const name = r < raceNames.length ? baseName : `${baseName} ${Math.floor(r / raceNames.length) + 1}`;
    const events: RunSignUpDatasetRace['events'] = [];
    for (let e = 0; e < eventsPerRace; e++) {
      const kind = eventKinds[e % eventKinds.length];
      const start = new Date(raceDay.getTime() + (8 * 60 + e * 15) * 60_000);
      events.push({
        event_id: 902_311 + r * 1000 + e,
        race_event_days_id: 301_877 + r,
        name: kind.name,
        details: null,
        start_time: runSignUpDateTime(start.getTime() / 1000),
        end_time: null,
        age_calc_base_date: null,
        registration_opens: runSignUpDateTime(registrationStart),
        event_type: 'running_race',
        distance: kind.distance,
        volunteer: 'F',
        require_dob: 'T',
        require_phone: 'F',
        registration_periods: [
          {
            registration_opens: runSignUpDateTime(registrationStart),
            registration_closes: runSignUpDateTime(start.getTime() / 1000 - 9 * 3600),
            race_fee: money(30 + e * 10),
            processing_fee: money(3.15 + e * 0.75),
          },
        ],
        sub_event_ids: [],
        giveaway: null,
      });
    }
    races.push({
      race: {
        race_id: raceId,
        name,
        last_date: null,
        last_end_date: null,
        next_date: mmddyyyy(raceDay),
        next_end_date: mmddyyyy(raceDay),
        is_draft_race: 'F',
        is_registration_open: 'T',
        created: runSignUpDateTime(registrationStart - 30 * 86_400),
        last_modified: runSignUpDateTime(registrationStart),
        description: '<p>Flat loop course along the river path.</p>',
        url: `https://runsignup.com/Race/${place.state}/${place.city.replace(/ /g, '')}/Race${raceId}`,
        external_race_url: null,
        external_results_url: null,
        fb_page_id: null,
        fb_event_id: null,
        address: { street: `${100 + r} ${pick(streets)}`, city: place.city, state: place.state, zipcode: place.zipcode, country_code: 'US' },
        timezone: 'America/New_York',
        logo_url: null,
        real_time_notifications_enabled: 'F',
      },
      events,
    });

    for (const [e, event] of events.entries()) {
      let bib = 101 + e * 1000;
      let previous = { first: '', last: '', gender: 'F' as 'M' | 'F' };
      for (let p = 0; p < perEvent; p++) {
        const drawnGender: 'M' | 'F' = next() < 0.5 ? 'F' : 'M';
        // Every 17th person shares the previous person's name: two "María García"s at one table.
        const person: { first: string; last: string; gender: 'M' | 'F' } =
          p % 17 === 16 ? previous : { first: pick(givenNamesBySex[drawnGender]), last: pick(familyNames), gender: drawnGender };
        previous = person;
        const { first, last, gender: personGender } = person;
        const home = pick(cities);
        const { year: birthYear, date: dob } = randomBirthdate(next, 1950, 62);
        const age = raceDay.getUTCFullYear() - birthYear - (dob.slice(5) > raceDay.toISOString().slice(5, 10) ? 1 : 0);
        const registered = registrationStart + Math.floor(((p + next()) / perEvent) * registrationSpan);
        const team = next() < 0.15 ? pick(teams) : null;
        const paidOffline = next() < 0.08;
        const fee = 30 + e * 10;
        const processing = paidOffline ? 0 : Math.round(fee * 10.5) / 100;
        registrationId += 1 + Math.floor(next() * 9);
        userId += 1 + Math.floor(next() * 5);
        participants.push({
          registration_id: registrationId,
          event_id: event.event_id,
          rsu_transaction_id: paidOffline ? null : 33_100_000 + registrationId - 61_230_000,
          transaction_id: paidOffline ? null : 33_100_000 + registrationId - 61_230_000,
          // About 1 in 12 has no bib yet (assigned at pickup).
          bib_num: next() < 0.08 ? null : String(bib++),
          chip_num: null,
          age,
          registration_date: runSignUpDateTime(registered),
          team_id: team?.team_id ?? null,
          team_name: team?.team_name ?? null,
          team_type_id: team?.team_type_id ?? null,
          team_type: team?.team_type ?? null,
          team_gender: team?.team_gender ?? null,
          team_bib_num: null,
          // Some records are touched after registration (bib assigned, address fixed).
          last_modified: registered + (next() < 0.3 ? Math.floor(next() * 10 * 86_400) : 0),
          imported: paidOffline ? 'T' : 'F',
          race_fee: money(paidOffline ? 0 : fee),
          offline_payment_amount: money(paidOffline ? fee : 0),
          processing_fee: money(processing),
          processing_fee_paid_by_user: money(processing),
          processing_fee_paid_by_race: money(0),
          partner_fee: money(0),
          affiliate_profit: money(0),
          extra_fees: money(0),
          amount_paid: money(fee + processing),
          usatf_discount_amount_in_cents: money(0),
          usatf_discount_additional_field: null,
          // About 1 in 9 raises money for a charity (sent only with include_fundraisers=T).
          fundraiser_charity_name: p % 9 === 4 ? charities[p % charities.length] : null,
          giveaway: pick(shirtSizes),
          giveaway_option_id: 77_120 + Math.floor(next() * 6),
          question_responses: [
            { question_id: '410022', question_text: 'Emergency Contact Name', response: next() < 0.2 ? null : `${pick(givenNamesBySex.F)} ${last}` },
          ],
          user: {
            user_id: userId,
            first_name: first,
            middle_name: next() < 0.1 ? 'R' : null,
            last_name: last,
            email: next() < 0.05 ? null : `${emailLocalPart(first)}.${emailLocalPart(last)}${p % 7 === 0 ? p : ''}@example.com`,
            address: {
              street: next() < 0.2 ? null : `${1 + Math.floor(next() * 900)} ${pick(streets)}`,
              city: home.city,
              state: home.state,
              zipcode: home.zipcode,
              country_code: 'US',
            },
            dob,
            gender: personGender,
            phone: next() < 0.3 ? null : `${home.area}-555-0${pad(Math.floor(next() * 100))}${Math.floor(next() * 10)}`,
            profile_image_url: null,
          },
        });
      }
    }
  }
  return { races, participants, removed: [] };
}
