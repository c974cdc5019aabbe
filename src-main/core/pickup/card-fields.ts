import { cardFieldKeys, type CardField, type CardFieldKey, type VenueParticipant } from './schemas.ts';

/*
 * What the volunteer hands over and reads out, as labelled fields: shirt size or giveaway, wave,
 * team, division, waiver, emergency contact, special requirements. Each provider keeps these in
 * its own columns and JSON (RunSignUp's additional_data giveaway and question_responses, Race
 * Roster's additional_info registrationQuestions and emergency_contact, Haku's emergency_contact,
 * ChronoTrack's wave and bracket columns, a walk-up's own columns); this is the one place that
 * reads them. Whatever is not named here (ids, transaction numbers, import flags, timestamps)
 * stays off the card.
 */
export type RawRow = Record<string, unknown>;


const labels: Record<Exclude<CardFieldKey, 'answer'>, string> = {
  shirt_size: 'Shirt size',
  giveaway: 'Giveaway',
  wave: 'Wave / corral',
  race: 'Race',
  registration_option: 'Registration option',
  division: 'Division',
  team: 'Team',
  waiver: 'Waiver',
  emergency_contact: 'Emergency contact',
  special_requirements: 'Special requirements',
  payment: 'Payment',
  licence: 'Licence',
  charity: 'Charity',
  registration_status: 'Registration status',
};

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

function json(value: unknown): unknown {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

const record = (value: unknown): RawRow => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawRow) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Which card field a registration question answers, by its title ("T-shirt size", "Start corral", "Emergency Contact Name"). */
export function questionKey(title: string): CardFieldKey {
  if (/\b(t-?shirt|shirt|tee|singlet|jersey)\b/i.test(title)) return 'shirt_size';
  if (/\b(wave|corral)\b/i.test(title)) return 'wave';
  if (/\bwaiver\b/i.test(title)) return 'waiver';
  if (/\bemergency\b/i.test(title)) return 'emergency_contact';
  return 'answer';
}

/** A giveaway option that is a garment size ("Women's S", "Unisex XL", "Youth Medium"). */
export function looksLikeSize(value: string): boolean {
  // Letter sizes are capitals ("Men's M": the s of "Men's" is not a size).
  return /\b[2-5]?X{0,3}[SML]\b/.test(value) || /\b(?:small|medium|large)\b/i.test(value);
}

class Fields {
  private readonly items: CardField[] = [];

  add(key: CardFieldKey, value: unknown, label?: string): void {
    const shown = text(value);
    if (shown === null) return;
    const name = label ?? (key === 'answer' ? 'Answer' : labels[key]);
    const existing = this.items.find((f) => f.key === key && f.label === name);
    // Several questions of one kind (emergency contact name, then phone) read as one field.
    if (existing) {
      if (!existing.value.split(' · ').includes(shown)) existing.value = `${existing.value} · ${shown}`;
      return;
    }
    this.items.push({ key, label: name, value: shown });
  }

  question(title: unknown, answer: unknown): void {
    const name = text(title);
    if (!name) return;
    const key = questionKey(name);
    this.add(key, answer, key === 'answer' ? name : undefined);
  }

  done(): CardField[] {
    return [...this.items].sort((a, b) => cardFieldKeys.indexOf(a.key) - cardFieldKeys.indexOf(b.key));
  }
}

/** "Darnell Øberg · 226-555-7361" from the providers' emergency-contact objects. */
function contactLine(contact: RawRow): string | null {
  const name = text(contact.name) ?? ([text(contact.first_name), text(contact.last_name)].filter(Boolean).join(' ') || null);
  const relationship = text(contact.relationship);
  const parts = [name && relationship ? `${name} (${relationship})` : (name ?? relationship), text(contact.phone), text(contact.email)].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

type Extractor = (raw: RawRow, fields: Fields) => void;

const extractors: Record<string, Extractor> = {
  runsignup(raw, fields) {
    const extra = record(json(raw.additional_data));
    const giveaway = text(extra.giveaway);
    if (giveaway) fields.add(looksLikeSize(giveaway) ? 'shirt_size' : 'giveaway', giveaway);
    for (const response of list(extra.question_responses)) {
      const q = record(response);
      fields.question(q.question_text, q.response);
    }
    for (const addon of list(extra.participant_addons)) {
      const a = record(addon);
      fields.add('giveaway', a.addon_name ?? a.name, 'Add-on');
    }
    fields.add('charity', raw.fundraiser_charity_name);
  },
  chronotrack(raw, fields) {
    fields.add('race', raw.race_name);
    if (text(raw.reg_choice_name) !== text(raw.race_name)) fields.add('registration_option', raw.reg_choice_name);
    fields.add('wave', raw.wave_name);
    fields.add('division', raw.bracket_name);
  },
  raceroster(raw, fields) {
    const info = record(json(raw.additional_info));
    for (const item of list(info.registrationQuestions)) {
      const q = record(item);
      fields.question(q.questionTitle, q.questionAnswer);
    }
    for (const item of list(info.swag)) {
      const swag = record(item);
      fields.add('giveaway', [text(swag.name ?? swag.productName), text(swag.size ?? swag.option)].filter(Boolean).join(' ') || null, 'Swag');
    }
    fields.add('emergency_contact', contactLine(record(json(raw.emergency_contact))));
    fields.add('division', raw.division);
    fields.add('payment', raw.payment_status);
  },
  copernico(raw, fields) {
    fields.add('division', raw.category, 'Category');
    fields.add('licence', raw.license_number);
    if (text(raw.registration_status)?.toLowerCase() !== 'registered') fields.add('registration_status', raw.registration_status);
  },
  haku(raw, fields) {
    fields.add('shirt_size', raw.shirt_size);
    // "Wave 1 · Corral B": both read as the one wave field.
    fields.add('wave', raw.wave);
    fields.add('wave', raw.corral);
    fields.add('division', raw.category, 'Category');
    fields.add('emergency_contact', contactLine(record(json(raw.emergency_contact))));
    fields.add('special_requirements', raw.special_requirements);
    fields.add('payment', raw.payment_status);
  },
};

const paymentWords: Record<string, string> = { cash: 'cash', card: 'card', check: 'check', comp: 'complimentary', online: 'paid online', other: 'other' };

/** A walk-up's own columns (local_participants, migration 0075). */
function walkUpFields(raw: RawRow, fields: Fields): void {
  fields.add('shirt_size', raw.shirt_size);
  fields.add('emergency_contact', contactLine({ name: raw.emergency_contact_name, phone: raw.emergency_contact_phone }));
  if (raw.waiver_accepted === 1) fields.add('waiver', 'Accepted');
  else if (raw.waiver_accepted === 0) fields.add('waiver', 'Not accepted');
  const method = text(raw.payment_method);
  const amount = typeof raw.amount_paid === 'number' ? raw.amount_paid.toFixed(2) : null;
  fields.add('payment', [amount, method ? (paymentWords[method] ?? method) : null].filter(Boolean).join(' · ') || null);
}

/**
 * The card's labelled fields for one runner: `raw` is the runner's provider row (or their
 * local_participants row for a walk-up), as stored.
 */
export function cardFields(participant: Pick<VenueParticipant, 'source_provider' | 'is_walk_up' | 'team_name'>, raw: RawRow | undefined): CardField[] {
  const fields = new Fields();
  fields.add('team', participant.team_name);
  if (raw) {
    if (participant.is_walk_up) walkUpFields(raw, fields);
    else extractors[participant.source_provider]?.(raw, fields);
  }
  return fields.done();
}
