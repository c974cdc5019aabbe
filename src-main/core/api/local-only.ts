import type { HandlerName } from './handlers.ts';

/*
 * Calls only the laptop itself may make (its window or its command line), never a device on the
 * venue network through the station: hub administration takes the hub's admin URL, and pointing
 * this laptop at another hub would redirect everyone's work; and only the laptop's own crew
 * decides whether and where it serves the venue network, and which events its own table serves
 * (a joined device keeps its own scope in the browser).
 */
export const localOnlyHandlers: ReadonlySet<HandlerName> = new Set<HandlerName>(['hub.migrate', 'hub.addPartner', 'hub.set', 'station.configure', 'lookup.setStationScope']);

export function isLocalOnly(name: string): boolean {
  return localOnlyHandlers.has(name as HandlerName);
}
