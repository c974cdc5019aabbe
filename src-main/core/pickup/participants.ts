import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import type { ParticipantRef, VenueParticipant } from './schemas.ts';
import { preparedPerDb } from '../store/statements.ts';

/*
 * Reading one runner. The unified view is a UNION ALL over every provider table; SQLite pushes
 * `source_provider = ? AND source_rowid = ?` into the matching arm as a rowid seek, so every
 * single-runner read goes through (provider, source_rowid), found in participant_search's
 * primary key (or local_participants for a walk-up, whose source_rowid is -rowid).
 */
export const venueColumns = `source_provider, event_id, participant_id, first_name, last_name, email, phone, gender,
  bib_number, registered_bib, city, state, age, date_of_birth, team_name, registration_date, is_walk_up,
  checked_in, checked_in_at, checked_in_by, source_rowid`;

export interface VenueRow extends Omit<VenueParticipant, 'is_walk_up' | 'checked_in' | 'event_name'> {
  is_walk_up: number;
  checked_in: number;
  source_rowid: number;
  event_name?: string | null;
}

export interface FoundParticipant {
  participant: VenueParticipant;
  /** The provider name participant_changes uses for this runner ('local' for a walk-up). */
  identity: string;
  sourceRowid: number;
}

export function toVenueParticipant(row: VenueRow, eventName: string | null = row.event_name ?? null): VenueParticipant {
  const { source_rowid: _rowid, ...rest } = row;
  return { ...rest, event_name: eventName, is_walk_up: row.is_walk_up === 1, checked_in: row.checked_in === 1 };
}

export function identityOf(participant: Pick<VenueParticipant, 'source_provider' | 'is_walk_up'>): string {
  return participant.is_walk_up ? 'local' : participant.source_provider;
}

export function findParticipant(db: Db, ref: ParticipantRef): FoundParticipant {
  const located = statements(db).locate.get(ref.provider, ref.participantId) as { source_rowid: number } | undefined;
  const row = located ? readRow(db, ref.provider, located.source_rowid) : undefined;
  if (!row) {
    throw new RaceDeskError(
      'not_found',
      `No ${ref.provider} participant with id ${ref.participantId} on this laptop. Search again: the registration may have been removed or transferred by the last sync.`,
    );
  }
  const participant = toVenueParticipant(row, eventName(db, row.source_provider, row.event_id));
  return { participant, identity: identityOf(participant), sourceRowid: row.source_rowid };
}

/** A runner by the key participant_changes uses; undefined when no longer on this laptop. */
export function readByIdentity(db: Db, identity: string, participantId: string): VenueRow | undefined {
  const s = statements(db);
  const located = (identity === 'local' ? s.locateWalkUp.get(participantId) : s.locate.get(identity, participantId)) as
    | { provider?: string; source_rowid: number }
    | undefined;
  if (!located) return undefined;
  return readRow(db, identity === 'local' ? located.provider! : identity, located.source_rowid);
}

export function readRow(db: Db, provider: string, sourceRowid: number): VenueRow | undefined {
  return statements(db).row.get(provider, sourceRowid) as VenueRow | undefined;
}

export function eventName(db: Db, provider: string, eventId: string): string | null {
  const row = statements(db).event.get(provider, eventId) as { event_title: string | null } | undefined;
  return row?.event_title ?? null;
}

export function eventExists(db: Db, provider: string, eventId: string): boolean {
  return statements(db).event.get(provider, eventId) !== undefined;
}

/*
 * What the volunteer should read out beside the name: each provider keeps registration options,
 * waves, divisions and special requirements in its own columns (JSON objects are flattened).
 * Columns missing from an older schema are skipped.
 */
const noteColumns: Record<string, Array<[column: string, label: string]>> = {
  runsignup: [['chip_num', 'Chip'], ['fundraiser_charity_name', 'Charity'], ['additional_data', '']],
  chronotrack: [['race_name', 'Race'], ['reg_choice_name', 'Registration option'], ['wave_name', 'Wave'], ['bracket_name', 'Division'], ['entry_status', 'Status']],
  raceroster: [['division', 'Division'], ['registration_status', 'Registration status'], ['payment_status', 'Payment'], ['additional_info', '']],
  copernico: [['category', 'Category'], ['license_number', 'Licence'], ['registration_status', 'Registration status'], ['nationality', 'Nationality']],
  haku: [['category', 'Category'], ['special_requirements', 'Special requirements'], ['payment_status', 'Payment'], ['nationality', 'Nationality']],
};
const providerTables: Record<string, string> = {
  runsignup: 'runsignup_participants',
  chronotrack: 'ct_participants',
  raceroster: 'raceroster_participants',
  copernico: 'copernico_participants',
  haku: 'haku_participants',
};

export function registrationNotes(db: Db, found: FoundParticipant): Array<{ label: string; value: string }> {
  if (found.participant.is_walk_up) {
    const row = db.prepare('SELECT station_name, created_at FROM local_participants WHERE participant_id = ?').get(found.participant.participant_id) as
      | { station_name: string; created_at: string }
      | undefined;
    return row ? [{ label: 'Walk-up', value: `registered at ${row.station_name}, ${row.created_at}` }] : [];
  }
  const table = providerTables[found.participant.source_provider];
  const columns = noteColumns[found.participant.source_provider] ?? [];
  const raw = table ? (db.prepare(`SELECT * FROM ${table} WHERE rowid = ?`).get(found.sourceRowid) as Record<string, unknown> | undefined) : undefined;
  if (!raw) return [];
  const notes: Array<{ label: string; value: string }> = [];
  for (const [column, label] of columns) {
    const value = raw[column];
    if (value === null || value === undefined || value === '') continue;
    if (label === '') notes.push(...flattenJson(String(value)));
    else notes.push({ label, value: String(value) });
  }
  return notes;
}

/** Provider bookkeeping kept for the hub but meaningless to a volunteer: ids, import flags, timestamps. */
const bookkeeping = /(?:^|_)(?:id|ids)$|^imported$|last_?modified|transaction|^unique|uuid/i;
const isBookkeeping = (key: string) => bookkeeping.test(key) || bookkeeping.test(key.replace(/([a-z])([A-Z])/g, '$1_$2'));

function flattenJson(text: string): Array<{ label: string; value: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [{ label: 'Notes', value: text }];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [{ label: 'Notes', value: text }];
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([key, value]) => value !== null && value !== '' && value !== undefined && value !== false && !isBookkeeping(key))
    .map(([label, value]) => ({ label: label.replace(/_/g, ' '), value: typeof value === 'object' ? JSON.stringify(value) : String(value) }));
}

const statements = preparedPerDb((db: Db) => ({
  locate: db.prepare('SELECT source_rowid FROM participant_search WHERE provider = ? AND participant_id = ?'),
  locateWalkUp: db.prepare('SELECT source_provider AS provider, -rowid AS source_rowid FROM local_participants WHERE participant_id = ?'),
  row: db.prepare(`SELECT ${venueColumns} FROM unified_participants WHERE source_provider = ? AND source_rowid = ?`),
  event: db.prepare('SELECT event_title FROM event_titles WHERE source_provider = ? AND event_id = ?'),
}));
