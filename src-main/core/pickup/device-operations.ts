import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { preparedPerDb } from '../store/statements.ts';

/*
 * Exactly-once replay of a joined device's queued operations (migration 0105). A device that lost
 * the station queues check-ins and bib changes, each with an operation id it generated, and sends
 * them again until it hears an answer. Whoever handles an op looks it up first, inside the same
 * IMMEDIATE transaction that writes its change: an op already applied answers what it answered
 * the first time and writes nothing, however often the answer was lost on the way back.
 */
export type DeviceOperationHandler = 'pickup.checkIn' | 'pickup.changeBib';

const statements = preparedPerDb((db) => ({
  find: db.prepare('SELECT handler, result FROM device_operations WHERE op_id = ?'),
  insert: db.prepare('INSERT INTO device_operations (op_id, handler, result, station_name) VALUES (?, ?, ?, ?)'),
}));

/** The stored answer of an op this station already applied, or undefined for a new op. */
export function appliedResult<T>(db: Db, opId: string | undefined, handler: DeviceOperationHandler): T | undefined {
  if (!opId) return undefined;
  const row = statements(db).find.get(opId) as { handler: string; result: string } | undefined;
  if (!row) return undefined;
  if (row.handler !== handler) {
    throw new RaceDeskError(
      'invalid_input',
      `Operation ${opId} was already used for ${row.handler}, not ${handler}. The device must give every queued operation its own id.`,
    );
  }
  return JSON.parse(row.result) as T;
}

/** Records an op's answer, in the caller's transaction (with the change it made). */
export function rememberResult(db: Db, opId: string | undefined, handler: DeviceOperationHandler, result: unknown, stationName: string): void {
  if (!opId) return;
  statements(db).insert.run(opId, handler, JSON.stringify(result), stationName);
}
