import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { startDemoProviders, syncDemoAccounts } from '../../../src-main/demo/demo.ts';
import { cardFields, looksLikeSize, questionKey } from '../../../src-main/core/pickup/card-fields.ts';
import type { CardField } from '../../../src-main/core/pickup/schemas.ts';

/*
 * The card's labelled fields per provider, read from rows the real sync wrote from each
 * provider simulator's demo dataset (the shapes `npm run demo` shows), and from a walk-up.
 */
let core: TestCore;

beforeAll(async () => {
  core = createTestCore();
  await call(core, 'partner.set', { id: 1, name: 'Demo Timing Co.' });
  const providers = await startDemoProviders(core, { size: 'small' });
  try {
    const outcomes = await syncDemoAccounts(core, providers.accounts);
    expect(outcomes.filter((o) => o.status !== 'success')).toEqual([]);
  } finally {
    await providers.close();
  }
});
afterAll(() => core?.cleanup());

/** The card of the first runner of a provider whose stored row matches the SQL condition. */
async function cardOf(provider: string, table: string, idColumn: string, where: string) {
  const row = core.db.prepare(`SELECT CAST(${idColumn} AS TEXT) AS id FROM ${table} WHERE ${where} LIMIT 1`).get() as { id: string } | undefined;
  expect(row, `the ${provider} demo data has a runner with ${where}`).toBeDefined();
  return call(core, 'pickup.participant', { provider: provider as 'runsignup', participantId: row!.id });
}

const byLabel = (fields: CardField[]) => Object.fromEntries(fields.map((f) => [f.label, f.value]));

/** Nothing that reads like an id, a transaction, an import flag or a timestamp reaches the card. */
function expectNoBookkeeping(fields: CardField[]) {
  for (const field of fields) {
    expect(field.label).not.toMatch(/\bid\b|transaction|imported|modified|unique|question ?id|option ?id/i);
    expect(field.value).not.toMatch(/^\d{4}-\d{2}-\d{2}T|"[a-zA-Z]+Id"|question_id|\{|\[/);
  }
}

describe('card fields per provider', () => {
  it('RunSignUp: the giveaway as shirt size, the emergency contact question, the team', async () => {
    const card = await cardOf(
      'runsignup',
      'runsignup_participants',
      'registration_id',
      `team_name IS NOT NULL AND json_extract(additional_data, '$.question_responses[0].response') IS NOT NULL`,
    );
    const raw = core.db.prepare('SELECT additional_data, team_name FROM runsignup_participants WHERE registration_id = ?').get(card.participant.participant_id) as {
      additional_data: string;
      team_name: string;
    };
    const data = JSON.parse(raw.additional_data);
    expect(byLabel(card.fields)).toMatchObject({
      'Shirt size': data.giveaway,
      'Emergency contact': data.question_responses[0].response,
      Team: raw.team_name,
    });
    expect(card.fields[0].key).toBe('shirt_size');
    expectNoBookkeeping(card.fields);
  });

  it('Race Roster: "T-shirt size" from registrationQuestions, the folded emergency contact, the division', async () => {
    const card = await cardOf('raceroster', 'raceroster_participants', 'registration_id', `emergency_contact IS NOT NULL`);
    const raw = core.db.prepare('SELECT additional_info, emergency_contact, division FROM raceroster_participants WHERE registration_id = ?').get(card.participant.participant_id) as {
      additional_info: string;
      emergency_contact: string;
      division: string;
    };
    const size = JSON.parse(raw.additional_info).registrationQuestions.find((q: { questionTitle: string }) => q.questionTitle === 'T-shirt size').questionAnswer;
    const contact = JSON.parse(raw.emergency_contact);
    const fields = byLabel(card.fields);
    expect(fields['Shirt size']).toBe(size);
    expect(fields['Emergency contact']).toBe(`${contact.first_name} ${contact.last_name} · ${contact.phone}`);
    expect(fields.Division).toBe(raw.division);
    expect(Object.keys(fields)).not.toContain('T-shirt size');
    expectNoBookkeeping(card.fields);
  });

  it('ChronoTrack: race, wave and division', async () => {
    const card = await cardOf('chronotrack', 'ct_participants', 'entry_id', `wave_name IS NOT NULL AND wave_name <> ''`);
    const raw = core.db.prepare('SELECT race_name, wave_name, bracket_name FROM ct_participants WHERE entry_id = ?').get(card.participant.participant_id) as Record<string, string>;
    expect(byLabel(card.fields)).toMatchObject({ Race: raw.race_name, 'Wave / corral': raw.wave_name, Division: raw.bracket_name });
    expectNoBookkeeping(card.fields);
  });

  it('Copernico: category and club', async () => {
    // A Copernico runner's id in the app carries its event (store/runner-id.ts): athletes are numbered per race.
    const card = await cardOf('copernico', 'copernico_participants', "event_id || ':' || participant_id", `club_team IS NOT NULL`);
    const raw = core.db.prepare(`SELECT category, club_team FROM copernico_participants WHERE event_id || ':' || participant_id = ?`).get(card.participant.participant_id) as Record<string, string>;
    expect(byLabel(card.fields)).toEqual({ Category: raw.category, Team: raw.club_team });
  });

  it('Haku: the demo repeats registration numbers across events, and every stored runner is in the search index', () => {
    const one = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
    const stored = one('SELECT count(*) AS n FROM haku_participants');
    expect(one('SELECT count(DISTINCT participant_id) AS n FROM haku_participants')).toBeLessThan(stored);
    expect(one(`SELECT count(*) AS n FROM participant_search WHERE provider = 'haku' AND source_rowid > 0`)).toBe(stored);
  });

  it('Haku: shirt size, wave and corral, category, emergency contact with relationship, payment', async () => {
    // A Haku runner's id in the app carries its event (store/runner-id.ts): numbers repeat across events.
    const card = await cardOf('haku', 'haku_participants', "event_id || ':' || participant_id", `emergency_contact IS NOT NULL`);
    const raw = core.db.prepare(`SELECT category, emergency_contact, payment_status, team_affiliation FROM haku_participants WHERE event_id || ':' || participant_id = ?`).get(card.participant.participant_id) as Record<string, string>;
    const contact = JSON.parse(raw.emergency_contact);
    expect(byLabel(card.fields)['Shirt size']).toMatch(/^(Women's Medium|Men's Large|Unisex Small)$/);
    expect(card.fields[0].key).toBe('shirt_size');
    expect(byLabel(card.fields)['Wave / corral']).toMatch(/^Wave [1-3] · Corral [ABC]$/);
    // Only what Haku sent is shown: a column the mapping leaves NULL (not guessed) has no field.
    const sent = Object.entries({
      Category: raw.category,
      Team: raw.team_affiliation,
      'Emergency contact': `${contact.name} (${contact.relationship}) · ${contact.phone}`,
      Payment: raw.payment_status,
    }).filter(([, value]) => value !== null);
    expect(byLabel(card.fields)).toMatchObject(Object.fromEntries(sent));
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expectNoBookkeeping(card.fields);
  });

  it('a walk-up: what the registration table took down', async () => {
    const event = core.db.prepare(`SELECT event_id FROM runsignup_events LIMIT 1`).get() as { event_id: number };
    const { participant } = await call(core, 'pickup.registerWalkUp', {
      provider: 'runsignup',
      eventId: String(event.event_id),
      firstName: 'Ximena',
      lastName: 'Quiñónez',
      gender: 'F',
      dateOfBirth: '1994-07-21',
      bib: 'W77',
      shirtSize: "Women's M",
      emergencyContactName: 'Rafael Quiñónez',
      emergencyContactPhone: '614-555-0101',
      amountPaid: 45,
      paymentMethod: 'cash',
      waiverAccepted: true,
    });
    const card = await call(core, 'pickup.participant', { provider: 'runsignup', participantId: participant.participant_id });
    expect(card.fields).toEqual([
      { key: 'shirt_size', label: 'Shirt size', value: "Women's M" },
      { key: 'waiver', label: 'Waiver', value: 'Accepted' },
      { key: 'emergency_contact', label: 'Emergency contact', value: 'Rafael Quiñónez · 614-555-0101' },
      { key: 'payment', label: 'Payment', value: '45.00 · cash' },
    ]);
  });
});

describe('reading registration questions', () => {
  it('files questions by their title, and keeps other answers under their own title', () => {
    expect(questionKey('T-shirt size')).toBe('shirt_size');
    expect(questionKey('Tech Tee')).toBe('shirt_size');
    expect(questionKey('Start corral')).toBe('wave');
    expect(questionKey('I accept the waiver')).toBe('waiver');
    expect(questionKey('Emergency Contact Phone')).toBe('emergency_contact');
    expect(questionKey('How did you hear about this race?')).toBe('answer');
    const fields = cardFields(
      { source_provider: 'raceroster', is_walk_up: false, team_name: null },
      {
        additional_info: JSON.stringify({
          transactionId: 7700012,
          registrationQuestions: [
            { questionId: 55011, questionOptionId: null, questionTitle: 'How did you hear about this race?', questionAnswer: 'Friend' },
            { questionId: 55012, questionOptionId: null, questionTitle: 'Start corral', questionAnswer: 'B' },
          ],
          lastModifiedDate: '2026-02-01T21:01:28.000Z',
        }),
      },
    );
    expect(fields).toEqual([
      { key: 'wave', label: 'Wave / corral', value: 'B' },
      { key: 'answer', label: 'How did you hear about this race?', value: 'Friend' },
    ]);
  });

  it('tells a garment size from another giveaway', () => {
    for (const size of ["Women's S", "Men's M", 'Unisex XL', 'Youth Medium', 'XXL', '2XL']) expect(looksLikeSize(size), size).toBe(true);
    for (const other of ['Water bottle', "Men's hat", 'Finisher medal']) expect(looksLikeSize(other), other).toBe(false);
    const giveaway = cardFields({ source_provider: 'runsignup', is_walk_up: false, team_name: null }, { additional_data: JSON.stringify({ giveaway: 'Water bottle', giveaway_option_id: 4 }) });
    expect(giveaway).toEqual([{ key: 'giveaway', label: 'Giveaway', value: 'Water bottle' }]);
  });
});
