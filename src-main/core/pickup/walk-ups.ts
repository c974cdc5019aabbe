import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Core } from '../core.ts';
import { RaceDeskError } from '../errors.ts';
import { recordOutboxChange } from '../hub/outbox.ts';
import type { registerWalkUpInput } from './schemas.ts';
import { eventExists, findParticipant } from './participants.ts';
import { recordChange, stationNameOf } from './audit.ts';
import { bibHolders, describeHolders, nextFreeBib } from './bibs.ts';
import { eventCounters } from './counters.ts';
import { announce } from './announce.ts';

/*
 * A day-of registration made at the venue, with no connection: a local_participants row (pushed
 * to the hub like the provider rows), indexed for search by its trigger, plus a 'walk_up' change
 * in the audit trail, and, as the runner is standing at the table, their check-in.
 */
export function registerWalkUp(core: Core, input: z.output<typeof registerWalkUpInput>) {
  const stationName = stationNameOf(core, input.stationName);
  const participantId = randomUUID();
  const { changeId, at } = core.db
    .transaction(() => {
      if (!eventExists(core.db, input.provider, input.eventId)) {
        throw new RaceDeskError('not_found', `No ${input.provider} event ${input.eventId} on this laptop. Sync the account first, or pick another event.`);
      }
      const bib = input.bib ?? nextFreeBib(core.db, input.provider, input.eventId).bib;
      if (bib === null) {
        throw new RaceDeskError(
          'invalid_input',
          'No free walk-up bib for this event: type a bib number, or set (or widen) the walk-up bib range in Settings.',
        );
      }
      const holders = bibHolders(core.db, input.provider, input.eventId, bib);
      if (holders.length > 0 && !input.confirmTaken) {
        throw new RaceDeskError('conflict', `Bib ${bib} is already held by ${describeHolders(holders)} in this event. Pick another bib, or confirm to hand it out twice.`);
      }
      const now = new Date();
      const at = now.toISOString();
      core.db
        .prepare(
          `INSERT INTO local_participants (participant_id, timing_partner_id, source_provider, event_id, first_name, last_name,
             gender, date_of_birth, email, phone, city, state, bib_number, team_name, station_name, created_at, updated_at)
           VALUES (@participant_id, @timing_partner_id, @source_provider, @event_id, @first_name, @last_name,
             @gender, @date_of_birth, @email, @phone, @city, @state, @bib_number, @team_name, @station_name, @created_at, @created_at)`,
        )
        .run({
          participant_id: participantId,
          timing_partner_id: core.settings.read().partner?.id ?? null,
          source_provider: input.provider,
          event_id: input.eventId,
          first_name: input.firstName,
          last_name: input.lastName,
          gender: input.gender,
          date_of_birth: input.dateOfBirth,
          email: input.email || null,
          phone: input.phone || null,
          city: input.city || null,
          state: input.state || null,
          bib_number: bib,
          team_name: input.teamName || null,
          station_name: stationName,
          created_at: at,
        });
      recordOutboxChange(core.db, { table: 'local_participants', key: { participant_id: participantId }, op: 'upsert' });
      const change = { identity: 'local', eventId: input.eventId, participantId, stationName };
      const changeId = recordChange(core, { ...change, kind: 'walk_up', newValue: bib, changedAt: at });
      if (input.checkIn) {
        recordChange(core, { ...change, kind: 'check_in', changedAt: new Date(now.getTime() + 1).toISOString() });
      }
      return { changeId, at };
    })
    .immediate();
  const { participant } = findParticipant(core.db, { provider: input.provider, participantId });
  const counters = eventCounters(core.db, input.provider, input.eventId);
  announce(core, { kind: 'walk_up', participant, stationName, at, counters });
  return { participant, changeId, counters };
}
