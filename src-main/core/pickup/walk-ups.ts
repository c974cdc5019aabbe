import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Core } from '../core.ts';
import { RaceDeskError } from '../errors.ts';
import type { registerWalkUpInput } from './schemas.ts';
import { eventExists, findParticipant } from './participants.ts';
import { recordChange, stationNameOf } from './audit.ts';
import { bibHolders, describeHolders, nextFreeBib } from './bibs.ts';
import { eventCounters } from './counters.ts';
import { announce } from './announce.ts';
import type { Db } from '../store/database.ts';
import { writeWithoutOutbox } from '../store/outbox-triggers.ts';
import { searchReturning, writeRunner } from '../store/search-index.ts';

/*
 * A day-of registration made at the venue, with no connection: a local_participants row (pushed
 * to the hub like the provider rows), indexed for search as it is written, plus a 'walk_up' change
 * in the audit trail, and, as the runner is standing at the table, their check-in.
 */
/*
 * The registration table's details (migration 0075). The hub's local_participants has no columns
 * for them yet, so they also travel as one 'edit' change (field 'walk_up_details', new_value the
 * JSON of these columns), which the hub keeps in participant_changes.
 */
const detailColumns = ['shirt_size', 'emergency_contact_name', 'emergency_contact_phone', 'amount_paid', 'payment_method', 'waiver_accepted'] as const;

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
      const details: Record<(typeof detailColumns)[number], string | number | null> = {
        shirt_size: input.shirtSize || null,
        emergency_contact_name: input.emergencyContactName || null,
        emergency_contact_phone: input.emergencyContactPhone || null,
        amount_paid: input.amountPaid ?? null,
        payment_method: input.paymentMethod ?? null,
        waiver_accepted: input.waiverAccepted ? 1 : 0,
      };
      const insert = core.db.prepare(
        `INSERT INTO local_participants (participant_id, timing_partner_id, source_provider, event_id, first_name, last_name,
           gender, date_of_birth, email, phone, city, state, bib_number, team_name, station_name, created_at, updated_at,
           ${detailColumns.join(', ')})
         VALUES (@participant_id, @timing_partner_id, @source_provider, @event_id, @first_name, @last_name,
           @gender, @date_of_birth, @email, @phone, @city, @state, @bib_number, @team_name, @station_name, @created_at, @created_at,
           ${detailColumns.map((c) => `@${c}`).join(', ')})
         ${searchReturning('local_participants')}`,
      );
      writeRunner(core.db, 'local_participants', insert, {
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
        ...details,
      });
      const change = { identity: 'local', eventId: input.eventId, participantId, stationName };
      const changeId = recordChange(core, { ...change, kind: 'walk_up', newValue: bib, changedAt: at });
      // A millisecond apart each, so the audit trail lists them in the order they happened.
      const later = (ms: number) => new Date(now.getTime() + ms).toISOString();
      recordChange(core, { ...change, kind: 'edit', field: 'walk_up_details', newValue: JSON.stringify(details), changedAt: later(1) });
      if (input.checkIn) recordChange(core, { ...change, kind: 'check_in', changedAt: later(2) });
      return { changeId, at };
    })
    .immediate();
  const { participant } = findParticipant(core.db, { provider: input.provider, participantId });
  const counters = eventCounters(core.db, input.provider, input.eventId);
  announce(core, { kind: 'walk_up', participant, stationName, at, counters });
  return { participant, changeId, counters };
}

/**
 * A walk-up registered on another laptop comes with a hub pull without its registration details
 * (the hub's local_participants has no columns for them): they are put back from the runner's
 * newest 'walk_up_details' change, pulled beside it. Written past the outbox: the details came
 * from the hub, sending them back would only echo them.
 */
export function restorePulledWalkUpDetails(db: Db, participantIds: ReadonlySet<string>): void {
  const newest = db
    .prepare(
      `SELECT new_value FROM participant_changes
       WHERE source_provider = 'local' AND participant_id = ? AND kind = 'edit' AND field = 'walk_up_details'
       ORDER BY changed_at DESC, change_id DESC LIMIT 1`,
    )
    .pluck();
  const restore = db.prepare(
    `UPDATE local_participants SET ${detailColumns.map((c) => `${c} = @${c}`).join(', ')} WHERE participant_id = @participant_id ${searchReturning('local_participants')}`,
  );
  writeWithoutOutbox(db, () => {
    for (const participantId of participantIds) {
      const details = newest.get(participantId) as string | undefined;
      if (details === undefined) continue;
      const parsed = JSON.parse(details) as Record<string, unknown>;
      writeRunner(db, 'local_participants', restore, { participant_id: participantId, ...Object.fromEntries(detailColumns.map((c) => [c, parsed[c] ?? null])) });
    }
  });
}
