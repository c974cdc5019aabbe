import { defineHandler } from '../api/contract.ts';
import * as s from './schemas.ts';
import { findParticipant, participantFields } from './participants.ts';
import { checkedInState, checkIn, undoCheckIn } from './checkins.ts';
import { bibRanges, changeBib, nextFreeBib, setBibRange } from './bibs.ts';
import { registerWalkUp } from './walk-ups.ts';
import { counters } from './counters.ts';
import { auditTrail } from './audit.ts';
import { deviceCopy } from './device-copy.ts';
import type { Db } from '../store/database.ts';

/** Packet pickup at the venue; names and shapes are described in README.md beside this file. */
export const pickupHandlers = {
  'pickup.participant': defineHandler({
    input: s.participantInput,
    output: s.participantOutput,
    run: (input, core) => {
      const found = findParticipant(core.db, input);
      const history = auditTrail(core.db, { identity: found.identity, participantId: input.participantId, offset: 0, limit: 200 }).rows;
      const current = checkedInState(core.db, found);
      const checkIn = current ? { changeId: current.change_id, stationName: current.station_name, at: current.changed_at } : null;
      return { participant: found.participant, fields: participantFields(core.db, found), checkIn, history };
    },
  }),
  'pickup.checkIn': defineHandler({ input: s.checkInInput, output: s.checkInOutput, run: (input, core) => checkIn(core, input) }),
  'pickup.undoCheckIn': defineHandler({ input: s.undoCheckInInput, output: s.undoCheckInOutput, run: (input, core) => undoCheckIn(core, input) }),
  'pickup.changeBib': defineHandler({ input: s.changeBibInput, output: s.changeBibOutput, run: (input, core) => changeBib(core, input) }),
  'pickup.registerWalkUp': defineHandler({
    input: s.registerWalkUpInput,
    output: s.registerWalkUpOutput,
    run: (input, core) => registerWalkUp(core, input),
  }),
  'pickup.nextFreeBib': defineHandler({
    input: s.nextFreeBibInput,
    output: s.nextFreeBibOutput,
    run: (input, core) => nextFreeBib(core.db, input.provider, input.eventId),
  }),
  'pickup.setBibRange': defineHandler({ input: s.setBibRangeInput, output: s.setBibRangeOutput, run: (input, core) => setBibRange(core, input) }),
  'pickup.bibRanges': defineHandler({ input: s.bibRangesInput, output: s.bibRangesOutput, run: (input, core) => bibRanges(core.db, input) }),
  /** A joined device's copy of its scope's runners, for lookups while the station is unreachable. */
  'pickup.deviceCopy': defineHandler({ input: s.deviceCopyInput, output: s.deviceCopyOutput, run: (input, core) => deviceCopy(core.db, input.scope) }),
  'pickup.counters': defineHandler({ input: s.countersInput, output: s.countersOutput, run: (input, core) => counters(core.db, input) }),
  'pickup.auditTrail': defineHandler({
    input: s.auditTrailInput,
    output: s.auditTrailOutput,
    run: (input, core) => {
      return auditTrail(core.db, { ...input, identity: auditIdentity(core.db, input.provider, input.participantId) });
    },
  }),
};

/** A walk-up's changes are filed under 'local'; a runner no longer on this laptop keeps its provider. */
function auditIdentity(db: Db, provider: string | undefined, participantId: string | undefined): string | undefined {
  if (!provider || !participantId) return provider;
  const walkUp = db.prepare('SELECT 1 FROM local_participants WHERE participant_id = ? AND source_provider = ?').get(participantId, provider);
  return walkUp ? 'local' : provider;
}
