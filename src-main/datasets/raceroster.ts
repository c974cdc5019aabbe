/*
 * Deterministic Race Roster data for the simulator: the same seed always gives the same events
 * and participants, shaped like ../shared/providers/fixtures/raceroster/ (string maxParticipants,
 * "-1" unlimited, integer gender codes, dates with both "-0400" and "-04:00" offsets).
 */
import { emailLocalPart, familyNames, givenNames } from './synthetic/names.ts';
import { picker, randomBirthdate, seededRandom } from './synthetic/random.ts';

export interface RaceRosterAccount {
  label: string;
  client_id: string;
  client_secret: string;
  username: string;
  password: string;
  /** Which organiser's events this account may read. */
  organiserId: number;
}

export type RaceRosterEventRecord = Record<string, unknown> & {
  eventId: number;
  organiserId: number;
  lastModifiedDate: string;
  subEvents: { data: Array<Record<string, unknown> & { subEventId: number; name: string }> };
};

export type RaceRosterParticipantRecord = Record<string, unknown> & {
  participantId: number;
  subEventId: number;
  lastModifiedDate: string;
};

export interface RaceRosterDataset {
  accounts: RaceRosterAccount[];
  events: RaceRosterEventRecord[];
  participants: Map<number, RaceRosterParticipantRecord[]>;
  /** The simulator's clock (epoch ms): later than every lastModifiedDate; mutations advance it. */
  clock: number;
  nextParticipantId: number;
}

export interface RaceRosterDatasetOptions {
  /** Participants per sub-event; small by default, a few hundred in total for demo mode. */
  participantsPerSubEvent?: number;
  seed?: number;
}

/** Race Roster's gender codes (1 male, 2 female), plus the non-binary (9) and undisclosed (0) people its API also sends. */
const people: ReadonlyArray<readonly [name: string, gender: number]> = [
  ...givenNames.map(([name, sex]) => [name, sex === 'F' ? 2 : 1] as const),
  ['Sam', 9],
  ['Alex', 0],
];
const cities = [
  ['Guelph', 'ON', 'Ontario'], ['Kitchener', 'ON', 'Ontario'], ['Montréal', 'QC', 'Québec'], ['Hamilton', 'ON', 'Ontario'],
  ['Burlington', 'ON', 'Ontario'], ['Trois-Rivières', 'QC', 'Québec'],
] as const;
const streets = ['Weber St W', 'Gordon St', 'Rue Saint-Denis', "King's Rd", 'Main St E', 'Rue de l’Église'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Race Roster's own style: Toronto wall-clock time with a colon-less or colon offset. */
function torontoTime(epochMs: number, colon: boolean): string {
  const local = new Date(epochMs - 4 * 3_600_000);
  const stamp = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${stamp}${colon ? '-04:00' : '-0400'}`;
}

export function utcOffsetTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const organiserEvents = [
  {
    eventId: 48213,
    organiserId: 1,
    name: 'Maple Ridge Harvest Run 2027',
    city: 'Guelph',
    start: Date.UTC(2027, 9, 10, 12, 0),
    address: '200 Riverside Park Rd, Guelph, ON, N1E 3K5',
    latitude: 43.5532,
    longitude: -80.2461,
    subEvents: [
      { subEventId: 131077, name: 'Half Marathon', maxParticipants: '800', type: 'running', inMeters: '21097', offsetMinutes: 0 },
      { subEventId: 131078, name: '5K', maxParticipants: '-1', type: 'running', inMeters: '5000', offsetMinutes: 90 },
    ],
  },
  {
    eventId: 48517,
    organiserId: 1,
    name: "Lakeshore Sprint Triathlon & Relay",
    city: 'Burlington',
    start: Date.UTC(2027, 5, 20, 11, 15),
    address: '1 Spencer Smith Park, Burlington, ON',
    latitude: 43.3232,
    longitude: -79.796,
    subEvents: [
      { subEventId: 132201, name: 'Individual', maxParticipants: '-1', type: 'triathlon', inMeters: '25750', offsetMinutes: 0 },
      { subEventId: 132202, name: 'Relay Team', maxParticipants: '60', type: null, inMeters: null, offsetMinutes: 0 },
    ],
  },
  {
    eventId: 49002,
    organiserId: 2,
    name: 'Côte-des-Neiges 10K',
    city: 'Montréal',
    start: Date.UTC(2027, 4, 2, 13, 0),
    address: 'Parc du Mont-Royal, Montréal, QC',
    latitude: 45.5048,
    longitude: -73.5874,
    subEvents: [{ subEventId: 140010, name: '10K', maxParticipants: '1500', type: 'running', inMeters: '10000', offsetMinutes: 0 }],
  },
];

/** Where the generated lastModifiedDates begin: registrations trickle in from here on. */
const registrationEpoch = Date.UTC(2026, 1, 1, 14, 0);

export function createRaceRosterDataset(options: RaceRosterDatasetOptions = {}): RaceRosterDataset {
  const random = seededRandom(options.seed ?? 5218);
  const pick = picker(random);
  const perSubEvent = options.participantsPerSubEvent ?? 6;
  const accounts: RaceRosterAccount[] = [
    { label: 'Maple Ridge timing', client_id: 'rr-client-maple', client_secret: 'rr-secret-maple', username: 'timer@mapleridge-rc.example', password: 'harvest-2027', organiserId: 1 },
    { label: 'Montréal organiser', client_id: 'rr-client-mtl', client_secret: 'rr-secret-mtl', username: 'course@cdn10k.example', password: 'mont-royal', organiserId: 2 },
  ];

  let clock = registrationEpoch;
  const tick = () => (clock += 60_000 + Math.floor(random() * 3_600_000));
  let nextParticipantId = 9_100_000;
  const participants = new Map<number, RaceRosterParticipantRecord[]>();

  const events: RaceRosterEventRecord[] = organiserEvents.map((spec, eventIndex) => {
    const list: RaceRosterParticipantRecord[] = [];
    for (const subEvent of spec.subEvents) {
      for (let i = 0; i < perSubEvent; i++) {
        const team = subEvent.name === 'Relay Team';
        const [firstName, gender] = pick(people);
        const lastName = pick(familyNames);
        const [city, regionCode, regionName] = pick(cities);
        const registered = tick();
        const participantId = nextParticipantId++;
        const { year, date: dob } = randomBirthdate(random, 1955, 50);
        const withContact = random() < 0.6;
        const contactFirst = pick(people)[0];
        const price = team ? '240.00' : subEvent.inMeters === '5000' ? '40.00' : random() < 0.1 ? '0.00' : '85.00';
        list.push({
          participantId,
          uniqueParticipantId: `${pad(eventIndex, 8)}-0000-4000-8000-${pad(participantId, 12)}`,
          transactionId: 7_700_000 + participantId - 9_100_000,
          subEventId: subEvent.subEventId,
          registrationDate: i % 2 === 0 ? torontoTime(registered, false) : utcOffsetTime(registered),
          lastModifiedDate: i % 3 === 0 ? torontoTime(registered, i % 2 === 0) : utcOffsetTime(registered),
          name: team ? `${lastName} Relay` : `${firstName} ${lastName}`,
          firstName: team ? `${lastName} Relay` : firstName,
          lastName: team ? 'Team' : lastName,
          dob: team ? '' : dob,
          age: team ? null : 2027 - year,
          gender: team ? 8 : gender,
          city,
          region: { code: regionCode, name: regionName },
          country: { code: 'CA', name: 'Canada' },
          teamId: team ? 4400 + i : null,
          bibNumber: random() < 0.85 ? 1000 + list.length + eventIndex * 1000 : null,
          usatNumber: subEvent.type === 'triathlon' ? `T${100000 + participantId % 100000}` : '',
          profile: {
            email: `${emailLocalPart(firstName)}.${emailLocalPart(lastName)}@example.com`,
            address: `${10 + Math.floor(random() * 190)} ${pick(streets)}, ${city}, ${regionCode}`,
            phone: `519-555-${pad(Math.floor(random() * 10000), 4)}`,
          },
          bundleRegistration: false,
          swag: random() < 0.2 ? [{ swagId: 301, name: 'Finisher hoodie', size: pick(['S', 'M', 'L']), quantity: 1, price: '45.00' }] : [],
          registrationQuestions: { data: [{ questionId: 55010, questionOptionId: 120344, questionTitle: 'T-shirt size', questionAnswer: pick(['S', 'M', 'L', 'XL']) }] },
          emergencyContact: {
            data: withContact
              ? [
                  { questionId: 55020, questionOptionId: null, questionTitle: 'Emergency contact first name', questionAnswer: contactFirst, type: 'contact_first_name' },
                  { questionId: 55021, questionOptionId: null, questionTitle: 'Emergency contact last name', questionAnswer: lastName, type: 'contact_last_name' },
                  { questionId: 55022, questionOptionId: null, questionTitle: 'Emergency contact phone number', questionAnswer: `226-555-${pad(Math.floor(random() * 10000), 4)}`, type: 'contact_phone' },
                ]
              : [],
          },
          registrationTotals: { netRegistrationTotal: price, netSwagTotal: '0.00' },
        });
      }
    }
    participants.set(spec.eventId, list);
    return {
      eventId: spec.eventId,
      organiserId: spec.organiserId,
      type: 'raceroster',
      name: spec.name,
      city: spec.city,
      region: spec.city === 'Montréal' ? { code: 'QC', name: 'Québec' } : { code: 'ON', name: 'Ontario' },
      country: { code: 'CA', name: 'Canada' },
      startDate: torontoTime(spec.start, eventIndex % 2 === 1),
      timeZone: 'America/Toronto',
      registrationOpenDate: utcOffsetTime(registrationEpoch),
      registrationCloseDate: torontoTime(spec.start - 2 * 86_400_000, false),
      lastModifiedDate: utcOffsetTime(registrationEpoch + eventIndex * 86_400_000),
      url: `https://raceroster.com/events/2027/${spec.eventId}/${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      organizerName: spec.organiserId === 1 ? 'Maple Ridge Running Club' : 'Course Côte-des-Neiges',
      address: spec.address,
      latitude: spec.latitude,
      longitude: spec.longitude,
      locale: spec.organiserId === 1 ? 'en_CA' : 'fr_CA',
      description: `<p>${spec.name}.</p>`,
      resultsUrl: null,
      subEvents: {
        data: spec.subEvents.map((s) => ({
          subEventId: s.subEventId,
          name: s.name,
          maxParticipants: s.maxParticipants,
          participantMinAge: '',
          participantMaxAge: '',
          distance: s.inMeters ? String(Number(s.inMeters) / 1000) : '',
          distanceType: s.inMeters ? 'km' : '',
          subEventDistance: s.inMeters ? { id: s.name.toLowerCase(), type: s.type, label: s.name, value: String(Number(s.inMeters) / 1000), unit: 'km', inMeters: s.inMeters } : null,
          customSubEventDate: s.offsetMinutes ? torontoTime(spec.start + s.offsetMinutes * 60_000, false) : null,
        })),
      },
    };
  });

  return { accounts, events, participants, clock: tick(), nextParticipantId };
}
