import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  amountFromMoney,
  parseDistance,
  parseRemovedParticipant,
  removedRow,
  eventRow,
  isoFromRunSignUpDate,
  parseParticipant,
  parseRace,
  participantRow,
  type RunSignUpRace,
} from '../../../../src-main/core/providers/runsignup/mapping.ts';
import type { RecordIssue } from '../../../../src-main/core/providers/record-problems.ts';
import { openDatabase } from '../../../../src-main/core/store/database.ts';
import { upsertRows } from '../../../../src-main/core/store/upsert.ts';

// Fixtures copied from ../shared/providers/fixtures/runsignup (shapes confirmed per runsignup.md).
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const context = { accountLabel: 'Main timer account', timingPartnerId: 7, fetchedAt: '2025-06-01T12:00:00.000Z' };

describe('RunSignUp value conversions', () => {
  it('turns RunSignUp date-times into ISO wall-clock text (the zone is applied per field)', () => {
    expect(isoFromRunSignUpDate('2/11/2025 07:45')).toBe('2025-02-11T07:45:00');
    expect(isoFromRunSignUpDate('12/31/2025 23:59')).toBe('2025-12-31T23:59:00');
    expect(isoFromRunSignUpDate('06/14/2025')).toBe('2025-06-14');
    expect(isoFromRunSignUpDate('2025-06-14')).toBeNull();
    expect(isoFromRunSignUpDate('13/1/2025 10:00')).toBeNull();
  });

  it('reads money strings and free-text distances', () => {
    expect(amountFromMoney('$33.15')).toBe(33.15);
    expect(amountFromMoney('$1,234.50')).toBe(1234.5);
    expect(amountFromMoney('-$5.00')).toBe(-5);
    expect(amountFromMoney('thirty')).toBeNull();
    expect(parseDistance('5K')).toEqual({ value: 5, unit: 'km' });
    expect(parseDistance('10 km')).toEqual({ value: 10, unit: 'km' });
    expect(parseDistance('3.1 Miles')).toEqual({ value: 3.1, unit: 'mi' });
    expect(parseDistance('1 Mile')).toEqual({ value: 1, unit: 'mi' });
    expect(parseDistance('400m')).toEqual({ value: 400, unit: 'm' });
    expect(parseDistance('Half Marathon')).toEqual({ value: 21.0975, unit: 'km' });
    expect(parseDistance('Marathon')).toEqual({ value: 42.195, unit: 'km' });
    expect(parseDistance('13.1')).toEqual({ value: 13.1, unit: null });
    expect(parseDistance(13.1)).toEqual({ value: 13.1, unit: null });
    expect(parseDistance('Kids Dash')).toEqual({ value: null, unit: null });
  });
});

describe('RunSignUp participant mapping (fixture participants.json)', () => {
  const [element] = fixture('participants.json');
  const rows = element.participants.map((raw: unknown) => participantRow(148210, parseParticipant(raw, 'test', [])!, context));

  it('fills every column of the first registration', () => {
    expect(rows[0]).toEqual({
      race_id: 148210,
      event_id: 902311,
      registration_id: 61230441,
      user_id: 50112893,
      first_name: 'Marisol',
      middle_name: null,
      last_name: 'Quennell',
      email: 'marisol.quennell@example.com',
      address: JSON.stringify({ street: '44 Birch St', city: 'Westerville', state: 'OH', zipcode: '43081', country_code: 'US' }),
      dob: '1990-08-19',
      gender: 'F',
      phone: '614-555-0134',
      profile_image_url: null,
      bib_num: '101',
      chip_num: 'A0101',
      age: 34,
      registration_date: '2025-02-11T12:45:00.000Z',
      team_info: null,
      payment_info: expect.any(String),
      additional_data: expect.any(String),
      fetched_date: '2025-06-01T12:00:00.000Z',
      credentials_used: 'Main timer account',
      timing_partner_id: 7,
      race_fee: 30,
      amount_paid: 33.15,
      team_name: null,
      fundraiser_charity_name: null,
      last_modified: 1748620800,
    });
    expect(JSON.parse(rows[0].payment_info as string)).toEqual({
      rsu_transaction_id: 33102877,
      transaction_id: 33102877,
      race_fee: 30,
      offline_payment_amount: 0,
      processing_fee: 3.15,
      processing_fee_paid_by_user: 3.15,
      processing_fee_paid_by_race: 0,
      partner_fee: 0,
      affiliate_profit: 0,
      extra_fees: 0,
      amount_paid: 33.15,
      usatf_discount_amount_in_cents: 0,
    });
    expect(JSON.parse(rows[0].additional_data as string)).toEqual({
      imported: false,
      usatf_discount_additional_field: null,
      giveaway: "Women's M",
      giveaway_option_id: 77120,
      question_responses: [{ question_id: '410022', question_text: 'Emergency Contact Name', response: 'Tomas Verlaine' }],
    });
  });

  it('keeps team fields, null bibs, imported registrations and offline payments', () => {
    expect(JSON.parse(rows[1].team_info as string)).toEqual({
      team_id: 88214,
      team_name: 'Hollow Harriers',
      team_type_id: 3,
      team_type: 'Running Club',
      team_gender: 'X',
      team_bib_num: null,
    });
    expect(rows[1]).toMatchObject({ team_name: 'Hollow Harriers', middle_name: 'R', phone: null, chip_num: null, registration_date: '2025-03-03T00:02:00.000Z' });
    expect(rows[2]).toMatchObject({ bib_num: null, email: null, age: 12, race_fee: 0, amount_paid: 30 });
    expect(JSON.parse(rows[2].payment_info as string)).toMatchObject({ rsu_transaction_id: null, offline_payment_amount: 30 });
    expect(JSON.parse(rows[2].additional_data as string)).toMatchObject({ imported: true, question_responses: [] });
  });

  it('never puts a secret into credentials_used', () => {
    for (const row of rows) expect(row.credentials_used).toBe('Main timer account');
  });

  it('produces rows the real runsignup tables accept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsu-mapping-'));
    const db = openDatabase(join(dir, 'test.sqlite'));
    try {
      db.prepare('INSERT INTO timing_partners (timing_partner_id, company_name) VALUES (7, ?)').run('Test Timing');
      const races = fixture('races.json').races.map((w: { race: unknown }) => parseRace(w.race, 'test', [])!);
      const eventRows = races.flatMap((race: RunSignUpRace) => race.events.map((e) => eventRow(race, e, context)));
      upsertRows(db, 'runsignup_events', ['event_id'], eventRows);
      upsertRows(db, 'runsignup_participants', ['registration_id'], rows);
      const stored = db.prepare('SELECT * FROM runsignup_participants ORDER BY registration_id').all() as Record<string, unknown>[];
      expect(stored).toHaveLength(3);
      expect(stored[0]).toMatchObject({ registration_date: '2025-02-11T12:45:00.000Z', amount_paid: 33.15, last_modified: 1748620800 });
      const unified = db.prepare(`SELECT * FROM unified_participants WHERE participant_id = '61230441'`).get() as Record<string, unknown>;
      expect(unified).toMatchObject({ city: 'Westerville', state: 'OH', bib_number: '101', age: 34 });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RunSignUp event mapping (fixture races.json)', () => {
  const races = fixture('races.json').races.map((w: { race: unknown }) => parseRace(w.race, 'test', [])!);

  it('maps an event with its race, converting dates, flags and distance', () => {
    expect(eventRow(races[0], races[0].events[0], context)).toEqual({
      event_id: 902311,
      race_id: 148210,
      race_name: 'Maple Hollow 5K & 10K',
      name: '5K',
      details: null,
      // 8:00 and midnight at the race (America/New_York, EDT/EST) as instants.
      start_time: '2025-06-14T12:00:00.000Z',
      end_time: null,
      age_calc_base_date: null,
      registration_opens: '2025-02-10T05:00:00.000Z',
      event_type: 'running_race',
      distance: 5,
      distance_unit: 'km',
      volunteer: 0,
      require_dob: 1,
      require_phone: 0,
      giveaway: null,
      fetched_date: '2025-06-01T12:00:00.000Z',
      credentials_used: 'Main timer account',
      timing_partner_id: 7,
    });
  });

  it('trims the leading space real race names carry', () => {
    expect(eventRow(races[1], races[1].events[0], context)).toMatchObject({ race_name: 'Lakeside Turkey Trot', distance: 3.1, distance_unit: 'mi' });
  });
});

describe('RunSignUp removed registrations (fixture removed_participants.json)', () => {
  const [element] = fixture('removed_participants.json');
  const rows = element.event.participants.map((raw: unknown) => removedRow(148210, 902311, parseRemovedParticipant(raw, 'test', [])!, context));

  it('keeps the reason and a transfer\'s new registration; 0 means none; last_modified is Eastern time', () => {
    expect(rows).toEqual([
      {
        registration_id: 61229980,
        race_id: 148210,
        event_id: 902311,
        removed_reason: 'Refunded',
        new_registration_id: null,
        // 14:22:09 EDT.
        removed_at: '2025-05-30T18:22:09.000Z',
        timing_partner_id: 7,
        credentials_used: 'Main timer account',
        fetched_date: '2025-06-01T12:00:00.000Z',
      },
      expect.objectContaining({ registration_id: 61230102, removed_reason: 'Transferred to another event', new_registration_id: 61238855, removed_at: '2025-05-31T12:05:47.000Z' }),
    ]);
  });

  it('reads a winter removal as EST, whatever the laptop zone', () => {
    const winter = removedRow(1, 2, parseRemovedParticipant({ registration_id: 5, removed_reason: 'cleared', new_registration_id: 0, last_modified: '2025-01-15 09:30:00' }, 'test', [])!, context);
    expect(winter.removed_at).toBe('2025-01-15T14:30:00.000Z');
  });
});

describe('RunSignUp records read leniently', () => {
  const good = () => structuredClone(fixture('participants.json')[0].participants[0]);
  const read = (record: unknown) => {
    const problems: RecordIssue[] = [];
    return { record: parseParticipant(record, 'RunSignUp event 902311, page 3', problems), problems };
  };

  it('stores a registration whose last name is not text, and says which field and what was sent', () => {
    const record = good();
    record.user.last_name = ['Quennell'];
    const { record: parsed, problems } = read(record);
    expect(participantRow(148210, parsed!, context)).toMatchObject({ registration_id: 61230441, first_name: 'Marisol', last_name: null });
    expect(problems).toEqual([
      {
        recordId: '61230441',
        field: 'user.last_name',
        rawValue: '["Quennell"]',
        problem: 'RunSignUp event 902311, page 3: registration 61230441: user.last_name is not readable (Invalid input: expected string, received array) (stored as NULL).',
        skipped: false,
      },
    ]);
  });

  it('turns a foreign-currency fee and a date it cannot read into NULL, keeping what was sent', () => {
    const record = good();
    record.race_fee = 'CA$45.00';
    record.registration_date = '2025-02-11T07:45:00-05:00';
    const { record: parsed, problems } = read(record);
    const row = participantRow(148210, parsed!, context);
    expect(row).toMatchObject({ race_fee: null, registration_date: null, amount_paid: 33.15, email: 'marisol.quennell@example.com' });
    expect(problems.map((p) => [p.field, p.rawValue, p.skipped])).toEqual([
      ['registration_date', '"2025-02-11T07:45:00-05:00"', false],
      ['race_fee', '"CA$45.00"', false],
    ]);
  });

  it('skips a registration without a registration id, and records that it did', () => {
    const record = good();
    delete record.registration_id;
    const { record: parsed, problems } = read(record);
    expect(parsed).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({ recordId: '902311', field: 'registration_id', skipped: true, problem: expect.stringContaining('was skipped: registration_id is missing') }),
    ]);
  });

  it('keeps the other events of a race when one has no name or an unreadable id', () => {
    const [wrapped] = fixture('races.json').races;
    const race = structuredClone(wrapped.race);
    race.events.push({ ...race.events[0], event_id: 'x1' });
    delete race.events[0].name;
    const problems: RecordIssue[] = [];
    const parsed = parseRace(race, 'RunSignUp race list, page 1', problems)!;
    expect(parsed.events.map((e) => e.event_id)).toEqual(race.events.slice(0, -1).map((e: { event_id: number }) => e.event_id));
    expect(eventRow(parsed, parsed.events[0], context)).toMatchObject({ name: null, race_name: 'Maple Hollow 5K & 10K' });
    expect(problems.map((p) => [p.field, p.rawValue, p.skipped])).toEqual([['event_id', '"x1"', true]]);
  });
});
