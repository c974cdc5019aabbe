import { randomUUID } from 'node:crypto';
import type { Core } from '../core.ts';
import type { Db } from '../store/database.ts';
import type { ChangeRow, changeKinds } from './schemas.ts';
import { readByIdentity } from './participants.ts';
import { boundLimit, preparedPerDb } from '../store/statements.ts';

/*
 * participant_changes is the audit trail and the unit of replication: every venue action is one
 * row, written in the caller's transaction together with its hub outbox entry. Current state
 * (participant_state) follows from the rows by a trigger (migration 0050).
 */
export type ChangeKind = (typeof changeKinds)[number];

export interface NewChange {
  /** The provider name participant_changes uses: the runner's provider, or 'local' for a walk-up. */
  identity: string;
  eventId: string;
  participantId: string;
  kind: ChangeKind;
  field?: string | null;
  oldValue?: string | null;
  newValue?: string | null;
  stationName: string;
  changedAt: string;
}

export function recordChange(core: Core, change: NewChange): string {
  const changeId = randomUUID();
  statements(core.db).insert.run({
    change_id: changeId,
    timing_partner_id: core.settings.read().partner?.id ?? null,
    source_provider: change.identity,
    event_id: change.eventId,
    participant_id: change.participantId,
    kind: change.kind,
    field: change.field ?? null,
    old_value: change.oldValue ?? null,
    new_value: change.newValue ?? null,
    station_name: change.stationName,
    changed_at: change.changedAt,
  });
  return changeId;
}

/**
 * The time of a new change to (participant, field). The newest changed_at wins, so a change made
 * in the same millisecond as the one it answers (an undo right after a check-in, two fast bib
 * changes) is stamped one millisecond after it rather than losing a tie on a random change_id.
 */
export function nextChangeTime(db: Db, identity: string, participantId: string, field: string): string {
  const now = Date.now();
  const current = statements(db).stateTime.get(identity, participantId, field) as { changed_at: string } | undefined;
  const after = current ? Date.parse(current.changed_at) + 1 : 0;
  return new Date(Math.max(now, after)).toISOString();
}

/** Who is doing it: the station that sent the request, else this core's own station name. */
export function stationNameOf(core: Core, requested: string | undefined): string {
  return requested ?? core.options.stationName ?? core.settings.read().station.name;
}

export interface AuditQuery {
  identity?: string;
  participantId?: string;
  eventId?: string;
  kind?: ChangeKind;
  stationName?: string;
  offset: number;
  limit: number;
}

export function auditTrail(db: Db, query: AuditQuery): { rows: ChangeRow[]; total: number } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = { offset: query.offset, limit: query.limit };
  const filters: Array<[keyof AuditQuery, string]> = [
    ['identity', 'c.source_provider'],
    ['participantId', 'c.participant_id'],
    ['eventId', 'c.event_id'],
    ['kind', 'c.kind'],
    ['stationName', 'c.station_name'],
  ];
  for (const [key, column] of filters) {
    if (query[key] === undefined) continue;
    conditions.push(`${column} = @${key}`);
    params[key] = query[key];
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM participant_changes c ${where}`).get(params) as { n: number }).n;
  const changes = db
    .prepare(
      `SELECT c.change_id, c.source_provider, c.event_id, c.participant_id, c.kind, c.field, c.old_value, c.new_value,
              c.station_name, c.changed_at
       FROM participant_changes c ${where}
       ORDER BY c.changed_at DESC, c.change_id DESC
       ${boundLimit('@limit')} OFFSET @offset`,
    )
    .all(params) as Array<Omit<ChangeRow, 'first_name' | 'last_name'>>;
  const rows = changes.map((change) => {
    const person = readByIdentity(db, change.source_provider, change.participant_id);
    return { ...change, first_name: person?.first_name ?? null, last_name: person?.last_name ?? null };
  });
  return { rows, total };
}

const statements = preparedPerDb((db: Db) => ({
  insert: db.prepare(
    `INSERT INTO participant_changes (change_id, timing_partner_id, source_provider, event_id, participant_id, kind,
       field, old_value, new_value, station_name, changed_at)
     VALUES (@change_id, @timing_partner_id, @source_provider, @event_id, @participant_id, @kind,
       @field, @old_value, @new_value, @station_name, @changed_at)`,
  ),
  stateTime: db.prepare(`SELECT changed_at FROM participant_state WHERE source_provider = ? AND participant_id = ? AND field = ?`),
}));
