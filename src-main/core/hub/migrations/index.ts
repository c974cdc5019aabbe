import type { HubMigration } from './types.ts';
import { seedSchema } from './0001-seed-schema.ts';
import { pushSupport } from './0002-push-support.ts';
import { tenantIsolation } from './0003-tenant-isolation.ts';
import { unifiedViews } from './0004-unified-views.ts';
import { hostileTenants } from './0005-hostile-tenants.ts';
import { hakuParticipantEventKey } from './0010-haku-participant-event-key.ts';
import { chronotrackBracketPlaces } from './0013-chronotrack-bracket-places.ts';
import { runsignupDistanceUnit } from './0014-runsignup-distance-unit.ts';
import { pullChangeSequence } from './0027-pull-change-sequence.ts';
import { hakuPickupFields } from './0028-haku-pickup-fields.ts';
import { eventIndexes } from './0029-event-indexes.ts';
import { chronotrackResultStatus } from './0030-chronotrack-result-status.ts';
import { cheaperWrites } from './0031-cheaper-writes.ts';
import { syncHistoryUnchanged } from './0032-sync-history-unchanged.ts';

/** The hub's migrations, in order. Versions only go up; a hub newer than this list is refused. */
export const hubMigrations: readonly HubMigration[] = [seedSchema, pushSupport, tenantIsolation, unifiedViews, hostileTenants, hakuParticipantEventKey, chronotrackBracketPlaces, runsignupDistanceUnit, pullChangeSequence, hakuPickupFields, eventIndexes, chronotrackResultStatus, cheaperWrites, syncHistoryUnchanged];
