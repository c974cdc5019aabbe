import type { Core } from '../core.ts';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import type { BibHolder, BibRange, ParticipantRef } from './schemas.ts';
import { eventExists, eventName, findParticipant, readRow } from './participants.ts';
import { nextChangeTime, recordChange, stationNameOf } from './audit.ts';
import { eventCounters } from './counters.ts';
import { announce } from './announce.ts';
import { appliedResult, rememberResult } from './device-operations.ts';
import { searchReturning, writeRunner } from '../store/search-index.ts';

/*
 * Bibs are unique within an event. participant_search.bib holds every runner's current bib (the
 * provider's, or the one the crew gave at the venue: migration 0050 keeps the override there), so
 * "who holds bib N in this event" is one index lookup.
 */
export function bibHolders(db: Db, provider: string, eventId: string, bib: string): BibHolder[] {
  const hits = db
    .prepare('SELECT participant_id, source_rowid FROM participant_search WHERE bib = ? AND event_id = ? AND provider = ?')
    .all(bib, eventId, provider) as Array<{ participant_id: string; source_rowid: number }>;
  return hits.map((hit) => {
    const row = readRow(db, provider, hit.source_rowid);
    return {
      provider,
      participantId: hit.participant_id,
      firstName: row?.first_name ?? null,
      lastName: row?.last_name ?? null,
      bib,
      isWalkUp: hit.source_rowid < 0,
    };
  });
}

export function describeHolders(holders: BibHolder[]): string {
  return holders.map((h) => [h.firstName, h.lastName].filter(Boolean).join(' ') || `participant ${h.participantId}`).join(', ');
}

type BibChangeOutcome = { changed: boolean; oldBib: string | null; newBib: string; takenBy: BibHolder[]; changeId: string | null };

export function changeBib(core: Core, input: ParticipantRef & { newBib: string; confirmTaken: boolean; stationName?: string; opId?: string }) {
  const stationName = stationNameOf(core, input.stationName);
  const result = core.db
    .transaction(() => {
      const found = findParticipant(core.db, input);
      const replayed = appliedResult<BibChangeOutcome>(core.db, input.opId, 'pickup.changeBib');
      if (replayed) return { found, at: null, outcome: replayed };
      const { participant } = found;
      const oldBib = participant.bib_number;
      if (oldBib === input.newBib) {
        throw new RaceDeskError('invalid_input', `This runner already has bib ${input.newBib}.`);
      }
      const takenBy = bibHolders(core.db, participant.source_provider, participant.event_id, input.newBib).filter(
        (h) => h.participantId !== participant.participant_id,
      );
      if (takenBy.length > 0 && !input.confirmTaken) {
        const outcome: BibChangeOutcome = { changed: false, oldBib, newBib: input.newBib, takenBy, changeId: null };
        rememberResult(core.db, input.opId, 'pickup.changeBib', outcome, stationName);
        return { found, at: null, outcome };
      }
      const at = nextChangeTime(core.db, found.identity, participant.participant_id, 'bib_number');
      if (participant.is_walk_up) {
        // A walk-up's own row carries its bib, so the hub's local_participants copy stays right.
        const update = core.db.prepare(`UPDATE local_participants SET bib_number = ?, updated_at = ? WHERE participant_id = ? ${searchReturning('local_participants')}`);
        writeRunner(core.db, 'local_participants', update, [input.newBib, at, participant.participant_id]);
      }
      const changeId = recordChange(core, {
        identity: found.identity,
        eventId: participant.event_id,
        participantId: participant.participant_id,
        kind: 'bib_change',
        field: 'bib_number',
        oldValue: oldBib,
        newValue: input.newBib,
        stationName,
        changedAt: at,
      });
      const outcome: BibChangeOutcome = { changed: true, oldBib, newBib: input.newBib, takenBy, changeId };
      rememberResult(core.db, input.opId, 'pickup.changeBib', outcome, stationName);
      return { found, at, outcome };
    })
    .immediate();
  if (result.outcome.changed && result.at) {
    const { participant } = result.found;
    const counters = eventCounters(core.db, participant.source_provider, participant.event_id);
    announce(core, { kind: 'bib_change', participant, stationName, at: result.at, counters });
  }
  return result.outcome;
}

// Walk-up bib ranges ------------------------------------------------------------------------------

interface RangeRow {
  event_provider: string;
  event_id: string;
  first_bib: number;
  last_bib: number;
}

/** Numeric bibs held in an event (bibs with letters never collide with a numeric range). */
function takenNumbers(db: Db, provider: string, eventId: string): Set<number> {
  const rows = db
    .prepare(`SELECT bib FROM participant_search WHERE provider = ? AND event_id = ? AND bib IS NOT NULL`)
    .all(provider, eventId) as Array<{ bib: string }>;
  const taken = new Set<number>();
  for (const { bib } of rows) if (/^\d+$/.test(bib)) taken.add(Number(bib));
  return taken;
}

function describeRange(db: Db, row: RangeRow, taken = takenNumbers(db, row.event_provider, row.event_id)): BibRange {
  let used = 0;
  for (const n of taken) if (n >= row.first_bib && n <= row.last_bib) used++;
  return {
    provider: row.event_provider,
    eventId: row.event_id,
    eventName: eventName(db, row.event_provider, row.event_id),
    firstBib: row.first_bib,
    lastBib: row.last_bib,
    free: row.last_bib - row.first_bib + 1 - used,
  };
}

export function setBibRange(core: Core, input: { provider: string; eventId: string; firstBib: number; lastBib: number }): BibRange {
  if (!eventExists(core.db, input.provider, input.eventId)) {
    throw new RaceDeskError('not_found', `No ${input.provider} event ${input.eventId} on this laptop. Sync the account first.`);
  }
  core.db
    .prepare(
      `INSERT INTO walk_up_bib_ranges (event_provider, event_id, first_bib, last_bib) VALUES (?, ?, ?, ?)
       ON CONFLICT (event_provider, event_id) DO UPDATE SET first_bib = excluded.first_bib, last_bib = excluded.last_bib,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .run(input.provider, input.eventId, input.firstBib, input.lastBib);
  core.events.emit('data.changed', { area: 'bib_ranges' });
  return describeRange(core.db, readRange(core.db, input.provider, input.eventId)!);
}

export function bibRanges(db: Db, filter: { provider?: string; eventId?: string }): BibRange[] {
  const rows = db
    .prepare(
      `SELECT event_provider, event_id, first_bib, last_bib FROM walk_up_bib_ranges
       WHERE (@provider IS NULL OR event_provider = @provider) AND (@eventId IS NULL OR event_id = @eventId)
       ORDER BY event_provider, event_id`,
    )
    .all({ provider: filter.provider ?? null, eventId: filter.eventId ?? null }) as RangeRow[];
  return rows.map((row) => describeRange(db, row));
}

function readRange(db: Db, provider: string, eventId: string): RangeRow | undefined {
  return db
    .prepare('SELECT event_provider, event_id, first_bib, last_bib FROM walk_up_bib_ranges WHERE event_provider = ? AND event_id = ?')
    .get(provider, eventId) as RangeRow | undefined;
}

/** The lowest bib of the event's walk-up range that nobody in the event holds. */
export function nextFreeBib(db: Db, provider: string, eventId: string): { bib: string | null; range: BibRange | null } {
  const row = readRange(db, provider, eventId);
  if (!row) return { bib: null, range: null };
  const taken = takenNumbers(db, provider, eventId);
  let bib: string | null = null;
  for (let n = row.first_bib; n <= row.last_bib; n++) {
    if (!taken.has(n)) {
      bib = String(n);
      break;
    }
  }
  return { bib, range: describeRange(db, row, taken) };
}
