import { appRunnerId, providerRunnerIdSql } from './runner-id.ts';

/*
 * Every local table whose rows reach the hub, in push order: parents before children, so a batch
 * never carries a participant whose event the hub has not seen (batches are picked by this order
 * first, outbox sequence second; see hub/outbox.ts). The store keeps each table's outbox triggers
 * in step with this list (store/outbox-triggers.ts), so adding a table here is all it takes for
 * every write to it to reach the hub.
 *
 * key     the row's natural key in the local store (the same columns as the UNIQUE/PRIMARY KEY of
 *         the local table, see store/migrations/0001-initial.ts); on the hub the key is scoped by
 *         timing_partner_id, because two partners may hold the same provider record.
 * hubKey  where a local key has no meaning across laptops (sync_history's local rowid), the hub key
 *         adds laptop_id and renames the local id.
 * localOnlyColumns  local surrogate ids: the hub numbers its own rows (SERIAL id).
 */
export interface PushableTable {
  table: string;
  key: readonly string[];
  localOnlyColumns: readonly string[];
  /** Local column -> hub column, for columns whose name differs on the hub. */
  renamedOnHub?: Readonly<Record<string, string>>;
  /** The hub row also carries the laptop's id (keys that are only unique per laptop). */
  perLaptop?: boolean;
  /**
   * Local column -> SQL over a row (its alias given) giving the hub's value, where the two differ.
   * The hub evaluates it, on the staged rows and on the keys of deletes, so it must be SQL that
   * PostgreSQL runs, and it may translate a key column.
   */
  hubValues?: Readonly<Record<string, (row: string) => string>>;
  /** The inverse of hubValues for the pull: local column -> SQL over the hub row `r` giving the laptop's value. */
  localValues?: Readonly<Record<string, string>>;
}

/** A pulled hub row's runner id as the laptop keys it: a Haku or Copernico runner's id carries its event again. */
const localRunnerId = appRunnerId('r');

export const pushableTables: readonly PushableTable[] = [
  { table: 'runsignup_events', key: ['event_id'], localOnlyColumns: [] },
  { table: 'ct_events', key: ['event_id'], localOnlyColumns: [] },
  { table: 'raceroster_events', key: ['event_id', 'race_id'], localOnlyColumns: [] },
  { table: 'copernico_events', key: ['event_id'], localOnlyColumns: [] },
  { table: 'haku_events', key: ['event_id'], localOnlyColumns: [] },
  { table: 'runsignup_participants', key: ['registration_id'], localOnlyColumns: ['id'] },
  { table: 'ct_participants', key: ['entry_id'], localOnlyColumns: [] },
  { table: 'raceroster_participants', key: ['registration_id'], localOnlyColumns: ['id'] },
  { table: 'copernico_participants', key: ['event_id', 'participant_id'], localOnlyColumns: ['id'] },
  { table: 'haku_participants', key: ['event_id', 'participant_id'], localOnlyColumns: ['id'] },
  { table: 'ct_results', key: ['event_id', 'entry_id'], localOnlyColumns: ['id'] },
  { table: 'copernico_results', key: ['event_id', 'participant_id'], localOnlyColumns: ['id'] },
  // Venue data (see the venue-data contract): owned by the pickup and results modules.
  // The walk-up's registration details (migration 0075) reach the hub in its 'walk_up_details' change until the hub's table has them.
  {
    table: 'local_participants',
    key: ['participant_id'],
    localOnlyColumns: ['shirt_size', 'emergency_contact_name', 'emergency_contact_phone', 'amount_paid', 'payment_method', 'waiver_accepted'],
  },
  // A Haku or Copernico runner's local id carries its event (store/runner-id.ts); the hub has the event beside the provider's id,
  // for venue changes and crew results alike; a pull puts the event back.
  {
    table: 'participant_changes',
    key: ['change_id'],
    localOnlyColumns: [],
    hubValues: { participant_id: providerRunnerIdSql },
    localValues: { participant_id: localRunnerId },
  },
  {
    table: 'crew_results',
    key: ['source_provider', 'event_id', 'participant_id'],
    localOnlyColumns: ['id'],
    hubValues: { participant_id: providerRunnerIdSql },
    localValues: { participant_id: localRunnerId },
  },
  {
    table: 'sync_history',
    key: ['id'],
    localOnlyColumns: [],
    renamedOnHub: { id: 'local_id' },
    perLaptop: true,
  },
];

/*
 * What a laptop pulls from the hub (hub/pull.ts), in the same parents-first order. Per-laptop
 * tables (sync_history) stay with the laptop that wrote them: their keys mean nothing elsewhere.
 */
export const pulledTables: readonly PushableTable[] = pushableTables.filter((entry) => !entry.perLaptop);

const byName = new Map(pushableTables.map((entry, rank) => [entry.table, { ...entry, rank }]));

export type RankedPushableTable = PushableTable & { rank: number };

export function pushableTable(table: string): RankedPushableTable | undefined {
  return byName.get(table);
}

/** The hub's key columns for a table (without timing_partner_id, which scopes every key). */
export function hubKeyColumns(entry: PushableTable): string[] {
  const renamed = entry.key.map((column) => entry.renamedOnHub?.[column] ?? column);
  return entry.perLaptop ? ['laptop_id', ...renamed] : renamed;
}
