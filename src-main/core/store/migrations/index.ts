import type { Migration } from './types.ts';
import { initial } from './0001-initial.ts';
import { unifiedViewsAndSearch } from './0002-unified-views-and-search.ts';
import { syncCursors } from './0003-sync-cursors.ts';
import { lookupOrderIndexes } from './0004-lookup-order-indexes.ts';
import { chronotrackCopernicoFields } from './0010-chronotrack-copernico-fields.ts';
import { hakuApiBaseUrl } from './0020-haku-api-base-url.ts';
import { syncQueueJobs } from './0030-sync-queue-jobs.ts';
import { hubOutbox } from './0040-hub-outbox.ts';
import { hubOutboxBatchOrder } from './0041-hub-outbox-batch-order.ts';
import { hubOutboxCsvSnapshots } from './0042-hub-outbox-csv-snapshots.ts';
import { packetPickup } from './0050-packet-pickup.ts';
import { crewResults } from './0060-crew-results.ts';
import { awardRules } from './0061-award-rules.ts';
import { eventNames } from './0065-event-names.ts';
import { nameTokens } from './0070-name-tokens.ts';
import { walkUpRegistrationDetails } from './0075-walk-up-registration-details.ts';
import { hakuShirtSize } from './0076-haku-shirt-size.ts';
import { syncProblems } from './0080-sync-problems.ts';
import { requestBuckets } from './0081-request-buckets.ts';
import { hakuParticipantKey } from './0082-haku-participant-key.ts';
import { hakuRunnerIdMigration } from './0083-haku-runner-id.ts';
import { hubRefusedRows } from './0090-hub-refused-rows.ts';
import { deviceOperations } from './0105-device-operations.ts';
import { stationDevices } from './0110-station-devices.ts';
import { chronotrackBracketPlaces } from './0120-chronotrack-bracket-places.ts';
import { runsignupRemovedRegistrations } from './0121-runsignup-removed-registrations.ts';
import { runsignupDistanceUnit } from './0122-runsignup-distance-unit.ts';
import { hakuWaveCorralChip } from './0125-haku-wave-corral-chip.ts';
import { outboxTriggers } from './0130-outbox-triggers.ts';
import { heldResults } from './0140-held-results.ts';
import { hubPull } from './0160-hub-pull.ts';
import { hakuPickupFieldsToHub } from './0170-haku-pickup-fields-to-hub.ts';
import { runsignupResultSets } from './0175-runsignup-result-sets.ts';
import { syncHistoryInterrupted } from './0180-sync-history-interrupted.ts';
import { hubOutboxBatchTaking } from './0190-hub-outbox-batch-taking.ts';
import { runsignupRemovedEmail } from './0195-runsignup-removed-email.ts';
import { searchIndexWriter } from './0200-search-index-writer.ts';
import { syncHistoryUnchanged } from './0205-sync-history-unchanged.ts';
import { bibIndexCoversLookup } from './0206-bib-index-covers-lookup.ts';
import { copernicoRunnerId } from './0210-copernico-runner-id.ts';
import { deferredIndexes } from './0220-deferred-indexes.ts';

/*
 * The explicit, ordered list of local-store migrations. Versions only go up. Version ranges are
 * reserved per area so parallel work never collides: 10-19 ChronoTrack/Copernico, 20-29 Race
 * Roster/Haku, 30-39 sync engine, 40-49 hub outbox, 50-59 packet pickup, 60-69 race-day results, 70-74 lookup.
 * A database records what it ran in its schema_migrations ledger; a version added below one a
 * database already has is refused there, not skipped (store/migration-ledger.ts), so a new
 * migration is numbered above every one already released.
 */
export const migrations: readonly Migration[] = [initial, unifiedViewsAndSearch, syncCursors, lookupOrderIndexes, chronotrackCopernicoFields, hakuApiBaseUrl, syncQueueJobs, hubOutbox, hubOutboxBatchOrder, hubOutboxCsvSnapshots, packetPickup, crewResults, awardRules, eventNames, nameTokens, walkUpRegistrationDetails, hakuShirtSize, syncProblems, requestBuckets, hakuParticipantKey, hakuRunnerIdMigration, hubRefusedRows, deviceOperations, stationDevices, chronotrackBracketPlaces, runsignupRemovedRegistrations, runsignupDistanceUnit, hakuWaveCorralChip, outboxTriggers, heldResults, hubPull, hakuPickupFieldsToHub, runsignupResultSets, syncHistoryInterrupted, hubOutboxBatchTaking, runsignupRemovedEmail, searchIndexWriter, syncHistoryUnchanged, bibIndexCoversLookup, copernicoRunnerId, deferredIndexes];
