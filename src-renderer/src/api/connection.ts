import { createClient, createElectronTransport, createStationTransport, type Client } from './client.ts';
import { storedStationName, storedToken } from './session.ts';
import { Device } from '../offline/device.ts';
import { openIndexedDbStore } from '../offline/device-store.ts';
import { withDeviceCopy } from '../offline/device-transport.ts';

/**
 * Builds the client for wherever the page runs: inside Electron (preload bridge) or a browser on
 * the station, which is a joined device that keeps working when the station is unreachable.
 */
export function connect(): { client: Client; device: Device | null } {
  if (window.racedesk) return { client: createClient(createElectronTransport(window.racedesk)), device: null };
  const station = createStationTransport({
    token: () => storedToken(window.localStorage),
    EventSource: window.EventSource,
  });
  const device = new Device({ client: createClient(station), store: openIndexedDbStore(), deviceName: () => storedStationName(window.localStorage) });
  device.start().catch((error: unknown) => console.warn('This browser cannot keep an offline copy of the runners:', error));
  return { client: createClient(withDeviceCopy(station, device)), device };
}
