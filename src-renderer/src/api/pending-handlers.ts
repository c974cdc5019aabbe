/*
 * Handlers other engineers are adding to the contract right now, typed from their published
 * schemas (pickup/README.md) or notes. The client prefers the real entry of the handler map as
 * soon as it exists (see HandlerName in client.ts); remove an entry here once it has landed.
 * A station without one of these answers not_found, which screens show as "not available".
 */
import type { z } from 'zod';
import type * as pickup from '../../../src-main/core/pickup/schemas.ts';
import type * as browse from '../../../src-main/core/browse/schemas.ts';

interface Pending<I extends z.ZodType, O extends z.ZodType> {
  input: z.input<I>;
  output: z.output<O>;
}

export interface HubStatus {
  configured: boolean;
  online: boolean;
  url: string | null;
  pendingChanges: number;
  lastPushAt: string | null;
  lastError: string | null;
}

export interface QueueJob {
  id: number;
  provider: string;
  account: string;
  syncType: string;
  eventId: string | null;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  scheduledFor: string;
  retryCount: number;
  maxRetries: number;
  lastError: string | null;
  lastErrorCode: string | null;
  recordsProcessed: number;
  progress: { phase: string; eventName: string | null; page: number; pageCount: number | null; records: number } | null;
}

export interface PendingHandlers {
  'pickup.participant': Pending<typeof pickup.participantInput, typeof pickup.participantOutput>;
  'pickup.checkIn': Pending<typeof pickup.checkInInput, typeof pickup.checkInOutput>;
  'pickup.undoCheckIn': Pending<typeof pickup.undoCheckInInput, typeof pickup.undoCheckInOutput>;
  'pickup.changeBib': Pending<typeof pickup.changeBibInput, typeof pickup.changeBibOutput>;
  'pickup.registerWalkUp': Pending<typeof pickup.registerWalkUpInput, typeof pickup.registerWalkUpOutput>;
  'pickup.nextFreeBib': Pending<typeof pickup.nextFreeBibInput, typeof pickup.nextFreeBibOutput>;
  'pickup.setBibRange': Pending<typeof pickup.setBibRangeInput, typeof pickup.setBibRangeOutput>;
  'pickup.bibRanges': Pending<typeof pickup.bibRangesInput, typeof pickup.bibRangesOutput>;
  'pickup.counters': Pending<typeof pickup.countersInput, typeof pickup.countersOutput>;
  'pickup.auditTrail': Pending<typeof pickup.auditTrailInput, typeof pickup.auditTrailOutput>;
  'browse.participants': Pending<typeof browse.browseParticipantsInput, typeof browse.browseParticipantsOutput>;
  'browse.events': Pending<typeof browse.browseEventsInput, typeof browse.browseEventsOutput>;
  'browse.results': Pending<typeof browse.browseResultsInput, typeof browse.browseResultsOutput>;
  'browse.exportCsv': Pending<typeof browse.exportCsvInput, typeof browse.exportCsvOutput>;
  'station.info': {
    input: Record<string, never>;
    output: { url: string; token: string; shortCode: string; qrSvg: string; running: boolean };
  };
  'hub.status': { input: Record<string, never>; output: HubStatus };
  'hub.push': { input: Record<string, never>; output: { pushed: number; pendingChanges: number } };
  'hub.test': { input: { url?: string }; output: { ok: boolean; message: string } };
  'hub.set': { input: { url: string; password?: string }; output: { url: string } };
  'sync.queue': { input: { limit?: number }; output: QueueJob[] };
  'sync.enqueue': { input: { provider: string; account: string; eventId?: string; full?: boolean }; output: QueueJob };
}

export interface PendingEvents {
  'pickup.changed': {
    kind: string;
    provider: string;
    eventId: string;
    participantId: string;
    stationName: string;
    at: string;
    counters: z.output<typeof pickup.eventCountersSchema>;
  };
}
