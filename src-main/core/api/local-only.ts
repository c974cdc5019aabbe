import type { HandlerName } from './handlers.ts';

/*
 * Calls only the laptop itself may make (its window or its command line), never a device on the
 * venue network through the station: hub administration takes the hub's admin URL, and pointing
 * this laptop at another hub would redirect everyone's work; and only the laptop's own crew
 * decides whether and where it serves the venue network, and which events its own table serves
 * (a joined device keeps its own scope in the browser). Each is named in the words a crew uses,
 * for the refusal a venue device sees.
 */
const localOnlyActions: Partial<Record<HandlerName, string>> = {
  'hub.migrate': 'Setting up or upgrading the hub database',
  'hub.addPartner': 'Adding a timing partner to the hub',
  'hub.set': "Choosing this station's hub",
  'station.configure': 'Turning the station on or off for the venue network',
  'lookup.setStationScope': "Choosing the events the station laptop's own table serves",
};

export function isLocalOnly(name: string): boolean {
  return Object.hasOwn(localOnlyActions, name);
}

/** Why a venue device may not make this call, in plain words. */
export function localOnlyRefusal(name: string): string {
  const action = localOnlyActions[name as HandlerName] ?? 'This';
  return `${action} can only be done on the station laptop itself (in its RaceDesk window or with the racedesk command), not from another device.`;
}
