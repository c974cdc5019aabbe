/*
 * Deterministic Haku data for the simulator, shaped like ../shared/providers/fixtures/haku/:
 * 20-hex event ids, "R-" registration numbers, a list summary plus a registration detail per
 * person, some cancellations, UTC "Z" timestamps.
 */
import { emailLocalPart, familyNames, givenNames } from './synthetic/names.ts';
import { picker, seededRandom } from './synthetic/random.ts';

export interface HakuOrganization {
  label: string;
  client_id: string;
  client_secret: string;
  organizationId: number;
}

export type HakuEventRecord = Record<string, unknown> & { id: string; organizationId: number; updated_at: string };

/** The registration detail (GET /events/{id}/registrations/{n}); the list summary is derived from it. */
export type HakuRegistrationRecord = Record<string, unknown> & {
  registration_number: string;
  updated_at: string;
  participant: Record<string, unknown>;
};

export interface HakuDataset {
  organizations: HakuOrganization[];
  events: HakuEventRecord[];
  registrations: Map<string, HakuRegistrationRecord[]>;
  /** The simulator's clock (epoch ms), later than every updated_at; mutations advance it. */
  clock: number;
  nextRegistrationNumber: number;
}

export interface HakuDatasetOptions {
  /** Registrations per event; small by default, a few hundred in total for demo mode. */
  registrationsPerEvent?: number;
  seed?: number;
}

/** Haku's gender is "M", "F" or "X" (haku.md, assumed format): some people register as "X". */
const people: ReadonlyArray<readonly [name: string, gender: string]> = [...givenNames, ['Camille', 'X']];
const places = [
  ['Chicago', 'IL', '60605'], ['Evanston', 'IL', '60201'], ['Oak Park', 'IL', '60302'], ['Milwaukee', 'WI', '53202'], ['Gary', 'IN', '46402'],
] as const;
const streets = ['S Michigan Ave', 'N Clark St', 'W Division St', "O'Hare Way", 'E Wacker Dr'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const isoSeconds = (epochMs: number) => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

const eventSpecs = [
  { id: 'e735b096f63aaf72e58d', organizationId: 1, name: 'Riverfront 10K 2027', date: Date.UTC(2027, 4, 16, 12), hours: 4, venue: 'Grant Park', distance: 10, unit: 'km', limit: 3000, price: 55, status: 'active', category: '10K Open', master: '10K' },
  { id: 'c9a8e7f6d5c4b3a2a1b0', organizationId: 1, name: 'Lakefront Half Marathon & Relay', date: Date.UTC(2027, 8, 19, 11, 30), hours: 5.5, venue: 'Montrose Harbor', distance: 13.1, unit: 'mi', limit: null, price: 95, status: 'active', category: 'Half Marathon', master: 'Half' },
  { id: '0f1e2d3c4b5a69788796', organizationId: 2, name: 'Milwaukee Lakeshore 5K', date: Date.UTC(2027, 6, 4, 13), hours: 2, venue: 'Veterans Park', distance: 5, unit: 'km', limit: 1200, price: 35, status: 'active', category: '5K', master: '5K' },
];

const registrationEpoch = Date.UTC(2026, 0, 5, 15);

export function createHakuDataset(options: HakuDatasetOptions = {}): HakuDataset {
  const random = seededRandom(options.seed ?? 3600);
  const pick = picker(random);
  const perEvent = options.registrationsPerEvent ?? 8;
  const organizations: HakuOrganization[] = [
    { label: 'Windy City Races', client_id: '5e6pfucoiqfakeclient', client_secret: 'haku-secret-windy-city', organizationId: 1 },
    { label: 'Brew City Running', client_id: '7brewcityfakeclient', client_secret: 'haku-secret-brew-city', organizationId: 2 },
  ];
  let clock = registrationEpoch;
  const tick = () => (clock += 60_000 + Math.floor(random() * 7_200_000));
  // Registration numbers are numbered per event, so the same number appears in several events:
  // nothing shows they are unique across Haku (field check §0 item 4), and the store must not care.
  const firstRegistrationNumber = 100_400;
  // Person accounts are platform-wide; new registrations the simulator adds continue from here.
  let nextRegistrationNumber = firstRegistrationNumber;
  const registrations = new Map<string, HakuRegistrationRecord[]>();

  const events: HakuEventRecord[] = eventSpecs.map((spec, eventIndex) => {
    const list: HakuRegistrationRecord[] = [];
    for (let i = 0; i < perEvent; i++) {
      const [first, gender] = pick(people);
      const last = pick(familyNames);
      const [city, state, zip] = pick(places);
      const created = tick();
      const updated = random() < 0.3 ? tick() : created;
      const cancelled = random() < 0.08;
      const year = 1950 + Math.floor(random() * 55);
      const amount = random() < 0.07 ? 0 : spec.price;
      const withContact = random() < 0.7;
      list.push({
        registration_number: `R-${firstRegistrationNumber + i}`,
        created_at: isoSeconds(created),
        updated_at: isoSeconds(updated),
        cancelled_at: cancelled ? isoSeconds(updated) : null,
        is_cancelled: cancelled,
        transaction_amount: amount,
        payment_status: cancelled ? 'refunded' : amount > 0 ? 'paid' : 'comp',
        special_requirements: random() < 0.05 ? 'Needs a wheelchair-accessible start corral' : null,
        emergency_contact_name: withContact ? `${pick(people)[0]} ${last}` : null,
        emergency_contact_phone_number: withContact ? `+1-312-555-${pad(Math.floor(random() * 10000), 4)}` : null,
        emergency_contact_relationship: withContact ? pick(['Spouse', 'Parent', 'Friend', 'Sibling']) : null,
        shirt_size_name: pick(["Women's Medium", "Men's Large", 'Unisex Small']),
        team: random() < 0.25 ? { id: 771, name: 'South Loop Striders' } : null,
        club: null,
        products: [],
        additional_questions: [{ question: 'How did you hear about this race?', answer: pick(['Friend', 'Instagram', 'Flyer']) }],
        participant: {
          first_name: first,
          last_name: last,
          middle_initial: null,
          email: `${emailLocalPart(first)}.${emailLocalPart(last)}@example.com`,
          phone: `+1-312-555-${pad(Math.floor(random() * 10000), 4)}`,
          dob: `${year}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
          gender,
          nationality: 'US',
          account_number: `A-${5_500_000 + nextRegistrationNumber++}`,
          address: { line1: `${100 + Math.floor(random() * 3000)} ${pick(streets)}`, line2: null, city, state, zip_code: zip, country: 'US' },
        },
        event_categories: [
          {
            id: 20_900 + eventIndex,
            name: spec.category,
            master_name: spec.master,
            is_active: true,
            participation_option: 'in_person',
            tag_number: random() < 0.9 ? String(1000 * (eventIndex + 1) + i) : null,
            // Chip, wave and corral as the live API's integrations read them (field check §6, H1); derived, not drawn, so the draw sequence stays.
            chip_number: `058A${pad(i, 4)}`,
            wave_name: `Wave ${1 + (i % 3)}`,
            wave_code: `W${1 + (i % 3)}`,
            corral_name: `Corral ${'ABC'[i % 3]}`,
            created_at: isoSeconds(created),
            updated_at: isoSeconds(updated),
          },
        ],
      });
    }
    registrations.set(spec.id, list);
    return {
      id: spec.id,
      organizationId: spec.organizationId,
      name: spec.name,
      event_date: isoSeconds(spec.date),
      event_end_date: isoSeconds(spec.date + spec.hours * 3_600_000),
      time_zone: 'America/Chicago',
      location: { name: spec.venue, city: spec.organizationId === 1 ? 'Chicago' : 'Milwaukee', state: spec.organizationId === 1 ? 'IL' : 'WI', country: 'US' },
      event_type: 'running',
      distance: spec.distance,
      distance_unit: spec.unit,
      registration_limit: spec.limit,
      base_price: spec.price,
      currency: 'USD',
      status: spec.status,
      organization_name: organizations[spec.organizationId - 1].label,
      created_at: isoSeconds(registrationEpoch - 30 * 86_400_000),
      updated_at: isoSeconds(registrationEpoch + eventIndex * 86_400_000),
    };
  });

  return { organizations, events, registrations, clock: tick(), nextRegistrationNumber };
}
