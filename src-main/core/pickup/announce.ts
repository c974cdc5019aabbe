import type { Core } from '../core.ts';
import type { PickupChanged } from '../api/events.ts';
import type { EventCounters, VenueParticipant } from './schemas.ts';

/** Tells every open screen (window, station browsers via SSE) what changed and the new counters. */
export function announce(
  core: Core,
  change: { kind: PickupChanged['kind']; participant: VenueParticipant; stationName: string; at: string; counters: EventCounters },
): void {
  core.events.emit('pickup.changed', {
    kind: change.kind,
    provider: change.participant.source_provider,
    eventId: change.participant.event_id,
    participantId: change.participant.participant_id,
    stationName: change.stationName,
    at: change.at,
    counters: change.counters,
  });
  core.events.emit('data.changed', { area: 'participants' });
}
