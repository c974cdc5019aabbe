import type { Core } from '../core.ts';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import type { ParticipantRef } from './schemas.ts';
import { findParticipant, type FoundParticipant } from './participants.ts';
import { nextChangeTime, recordChange, stationNameOf } from './audit.ts';
import { eventCounters } from './counters.ts';
import { announce } from './announce.ts';
import { appliedResult, rememberResult } from './device-operations.ts';

/*
 * Check-in is a conditional write: the new check_in row is inserted only if the runner's current
 * state is not "checked in", in one statement inside an IMMEDIATE transaction. Two stations
 * checking in the same runner at the same moment (browsers on the station server, or the app and
 * a CLI sharing the file) therefore produce one check-in; the second learns who was first.
 */
export interface CheckInOutcome {
  alreadyCheckedIn: boolean;
  by: string;
  at: string;
  changeId: string | null;
}

export function checkIn(core: Core, ref: ParticipantRef & { stationName?: string; opId?: string }) {
  const stationName = stationNameOf(core, ref.stationName);
  const { found, outcome, wrote } = core.db
    .transaction(() => {
      const found = findParticipant(core.db, ref);
      const replayed = appliedResult<CheckInOutcome>(core.db, ref.opId, 'pickup.checkIn');
      if (replayed) return { found, outcome: replayed, wrote: false };
      const at = nextChangeTime(core.db, found.identity, ref.participantId, 'checked_in');
      const current = checkedInState(core.db, found);
      if (current) {
        const outcome: CheckInOutcome = { alreadyCheckedIn: true, by: current.station_name, at: current.changed_at, changeId: null };
        rememberResult(core.db, ref.opId, 'pickup.checkIn', outcome, stationName);
        return { found, outcome, wrote: false };
      }
      const changeId = recordChange(core, {
        identity: found.identity,
        eventId: found.participant.event_id,
        participantId: ref.participantId,
        kind: 'check_in',
        stationName,
        changedAt: at,
      });
      const outcome: CheckInOutcome = { alreadyCheckedIn: false, by: stationName, at, changeId };
      rememberResult(core.db, ref.opId, 'pickup.checkIn', outcome, stationName);
      return { found, outcome, wrote: true };
    })
    .immediate();
  const counters = eventCounters(core.db, found.participant.source_provider, found.participant.event_id);
  if (wrote) {
    announce(core, { kind: 'check_in', participant: found.participant, stationName, at: outcome.at, counters });
  }
  return { ...outcome, counters };
}

/*
 * An undo names the check-in it undoes (the change id the card showed), so a click on a stale card,
 * or on another runner's card, can never undo someone else's check-in. A check-in another station
 * made is undone only when the caller says it asked first (confirmOtherStation): otherwise nothing
 * is written and the answer says whose check-in it is, for the screen to ask.
 */
export function undoCheckIn(core: Core, ref: ParticipantRef & { checkInChangeId: string; confirmOtherStation: boolean; stationName?: string }) {
  const stationName = stationNameOf(core, ref.stationName);
  const { found, outcome } = core.db
    .transaction(() => {
      const found = findParticipant(core.db, ref);
      const current = checkedInState(core.db, found);
      const name = [found.participant.first_name, found.participant.last_name].filter(Boolean).join(' ') || 'This runner';
      if (!current) {
        throw new RaceDeskError('conflict', `${name} is not checked in, so there is no check-in to undo.`);
      }
      const checkIn = { changeId: current.change_id, stationName: current.station_name, at: current.changed_at };
      if (current.change_id !== ref.checkInChangeId) {
        throw new RaceDeskError(
          'conflict',
          `${name}'s check-in changed since this screen showed it (now checked in by ${current.station_name} at ${current.changed_at}). Open the runner again before undoing.`,
        );
      }
      if (current.station_name !== stationName && !ref.confirmOtherStation) {
        return { found, outcome: { undone: false, checkIn, changeId: null, at: null } };
      }
      const at = nextChangeTime(core.db, found.identity, ref.participantId, 'checked_in');
      const changeId = recordChange(core, {
        identity: found.identity,
        eventId: found.participant.event_id,
        participantId: ref.participantId,
        kind: 'undo_check_in',
        stationName,
        changedAt: at,
      });
      return { found, outcome: { undone: true, checkIn, changeId, at } };
    })
    .immediate();
  const counters = eventCounters(core.db, found.participant.source_provider, found.participant.event_id);
  if (outcome.at) announce(core, { kind: 'undo_check_in', participant: found.participant, stationName, at: outcome.at, counters });
  return { undone: outcome.undone, checkIn: outcome.checkIn, changeId: outcome.changeId, counters };
}

/** The runner's current check-in (who, when, and which change made it), or undefined when not checked in. */
export function checkedInState(db: Db, found: FoundParticipant): { station_name: string; changed_at: string; change_id: string } | undefined {
  return db
    .prepare(
      `SELECT station_name, changed_at, change_id FROM participant_state
       WHERE source_provider = ? AND participant_id = ? AND field = 'checked_in' AND value = '1'`,
    )
    .get(found.identity, found.participant.participant_id) as { station_name: string; changed_at: string; change_id: string } | undefined;
}
