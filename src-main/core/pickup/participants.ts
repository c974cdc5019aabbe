import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import type { CardField, ParticipantRef, VenueParticipant } from './schemas.ts';
import { cardFields, type RawRow } from './card-fields.ts';
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

/** eventName, remembered per event for one listing of many runners. */
export function eventNameLookup(db: Db): (provider: string, eventId: string) => string | null {
  const names = new Map<string, string | null>();
  return (provider, eventId) => {
    const key = `${provider}\u0000${eventId}`;
    if (!names.has(key)) names.set(key, eventName(db, provider, eventId));
    return names.get(key) ?? null;
  };
}

export function eventExists(db: Db, provider: string, eventId: string): boolean {
  return statements(db).event.get(provider, eventId) !== undefined;
}

const providerTables: Record<string, string> = {
  runsignup: 'runsignup_participants',
  chronotrack: 'ct_participants',
  raceroster: 'raceroster_participants',
  copernico: 'copernico_participants',
  haku: 'haku_participants',
};

/** The card's labelled fields (card-fields.ts), read from the runner's own stored row. */
export function participantFields(db: Db, found: FoundParticipant): CardField[] {
  const { participant } = found;
  const raw = participant.is_walk_up
    ? (statements(db).walkUpRow.get(participant.participant_id) as RawRow | undefined)
    : providerTables[participant.source_provider]
      ? (db.prepare(`SELECT * FROM ${providerTables[participant.source_provider]} WHERE rowid = ?`).get(found.sourceRowid) as RawRow | undefined)
      : undefined;
  return cardFields(participant, raw);
}

const statements = preparedPerDb((db: Db) => ({
  locate: db.prepare('SELECT source_rowid FROM participant_search WHERE provider = ? AND participant_id = ?'),
  locateWalkUp: db.prepare('SELECT source_provider AS provider, -rowid AS source_rowid FROM local_participants WHERE participant_id = ?'),
  row: db.prepare(`SELECT ${venueColumns} FROM unified_participants WHERE source_provider = ? AND source_rowid = ?`),
  event: db.prepare('SELECT event_title FROM event_titles WHERE source_provider = ? AND event_id = ?'),
  walkUpRow: db.prepare('SELECT * FROM local_participants WHERE participant_id = ?'),
}));
