import type { HandlerName } from './handlers.ts';

/*
 * Who may make each call: an allow list, so a handler added without a decision does not compile.
 * - venue: any device joined to the station (a check-in table): the pickup calls and its own scope.
 * - admin: the laptop itself, or a device the laptop explicitly made an admin.
 * - local: only the laptop itself (its window or its command line), never over the network:
 *   hub administration, where and whether it serves, its own table's scope, and who may join.
 */
export type Access = 'venue' | 'admin' | 'local';

export const handlerAccess: Record<HandlerName, Access> = {
  'providers.list': 'admin',
  'providers.setRequestsPerHour': 'admin',
  'accounts.list': 'admin',
  'accounts.add': 'admin',
  'accounts.remove': 'admin',
  'accounts.check': 'admin',
  'accounts.oauthBegin': 'admin',
  'accounts.oauthComplete': 'admin',
  'partner.get': 'admin',
  'partner.set': 'admin',
  'sync.run': 'admin',
  'queue.list': 'admin',
  'queue.sync': 'admin',
  'queue.get': 'admin',
  'queue.enqueue': 'admin',
  'queue.retry': 'admin',
  'queue.cancel': 'admin',
  'history.list': 'admin',
  'scheduler.watch': 'admin',
  'scheduler.unwatch': 'admin',
  'scheduler.watches': 'admin',
  'lookup.search': 'venue',
  'lookup.stationScope': 'venue',
  'lookup.removed': 'venue',
  'lookup.setStationScope': 'local',
  'status.get': 'admin',
  'hub.status': 'admin',
  'hub.push': 'admin',
  'hub.pull': 'admin',
  'hub.test': 'admin',
  'hub.set': 'local',
  'hub.migrate': 'local',
  'hub.addPartner': 'local',
  'results.events': 'admin',
  'results.inspect': 'admin',
  'results.preview': 'admin',
  'results.accept': 'admin',
  'results.list': 'admin',
  'results.exportCsv': 'admin',
  'results.compare': 'admin',
  'results.settings.get': 'admin',
  'results.settings.set': 'admin',
  'results.mappings': 'admin',
  'results.printable': 'admin',
  'results.held': 'admin',
  'results.held.assign': 'admin',
  'results.held.correct': 'admin',
  'results.held.dismiss': 'admin',
  // Admin, not local: the station's Results screen has the switch too; the folder named is the station laptop's.
  'results.watchStart': 'admin',
  'results.watchStop': 'admin',
  'results.watchStatus': 'admin',
  'startlist.export': 'admin',
  // Sends results out with the laptop's RunSignUp account: the crew chief's device may, a check-in table may not.
  'results.publish': 'admin',
  'pickup.participant': 'venue',
  'pickup.checkIn': 'venue',
  'pickup.undoCheckIn': 'venue',
  'pickup.changeBib': 'venue',
  'pickup.registerWalkUp': 'venue',
  'pickup.nextFreeBib': 'venue',
  'pickup.setBibRange': 'admin',
  'pickup.bibRanges': 'venue',
  'pickup.deviceCopy': 'venue',
  'pickup.counters': 'venue',
  'pickup.auditTrail': 'admin',
  'browse.participants': 'admin',
  'browse.events': 'admin',
  'browse.eventChoices': 'venue',
  'browse.results': 'admin',
  'browse.exportCsv': 'admin',
  'station.info': 'admin',
  'station.pairingCode': 'local',
  'station.whoami': 'venue',
  'station.renameSelf': 'venue',
  'station.devices': 'local',
  'station.revokeDevice': 'local',
  'station.setDeviceRole': 'local',
  'station.settings': 'admin',
  'station.configure': 'local',
};

/**
 * Calls whose `stationName` names who did it (the audit trail), which a joined device always
 * signs with the name it joined under. (pickup.auditTrail's `stationName` is a filter, not a signature.)
 */
export const signedCalls: ReadonlySet<HandlerName> = new Set<HandlerName>(['pickup.checkIn', 'pickup.undoCheckIn', 'pickup.changeBib', 'pickup.registerWalkUp', 'results.accept']);

/** Who is calling: the laptop itself (window, command line), or a device joined over the network. */
export type Caller = { kind: 'local' } | { kind: 'device'; role: 'venue' | 'admin'; deviceId: string; deviceName: string };

export const localCaller: Caller = { kind: 'local' };

export function mayCall(caller: Caller, access: Access): boolean {
  if (caller.kind === 'local') return true;
  if (access === 'venue') return true;
  return access === 'admin' && caller.role === 'admin';
}

/** Why this device may not make the call, in the crew's words. */
export function refusal(caller: Caller, access: Access): string {
  if (access === 'local') {
    return 'This can only be done on the station laptop itself (in its RaceDesk window or with the racedesk command), not from another device.';
  }
  const who = caller.kind === 'device' ? `“${caller.deviceName}”` : 'This device';
  return `${who} joined the station as a check-in table, which may only look runners up, check them in, change bibs and register walk-ups. To do more from it, make it an admin on the station laptop (Settings › Devices).`;
}
