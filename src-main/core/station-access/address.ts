import { networkInterfaces } from 'node:os';

/*
 * Where other devices reach the station. A station listening on every address (0.0.0.0) is
 * reached at this laptop's LAN address, never 127.0.0.1 (on a phone, that is the phone itself);
 * one bound to loopback cannot be reached from another device at all, and says so.
 */
export interface StationAddress {
  /** http://HOST:PORT as another device types it. */
  origin: string;
  /** Whether another device can reach it: false for a loopback address, or a wildcard on a laptop without a network. */
  reachable: boolean;
  /** Why not, in plain words; null when reachable. */
  notice: string | null;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The first non-internal IPv4 address of this computer, if it has one. */
export function lanAddress(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return null;
}

const loopbackNotice =
  'The station only listens on this laptop (127.0.0.1): other devices cannot join. Switch on “Serve this screen to other devices” in Settings, or start it with racedesk station --host 0.0.0.0.';

export function stationAddress(host: string, port: number): StationAddress {
  const wildcard = host === '0.0.0.0' || host === '::';
  const shown = wildcard ? lanAddress() : host;
  if (shown === null) {
    return {
      origin: `http://127.0.0.1:${port}`,
      reachable: false,
      notice: 'This laptop is on no network right now, so other devices cannot join: connect it to the venue Wi-Fi.',
    };
  }
  const origin = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
  if (isLoopbackHost(shown)) return { origin, reachable: false, notice: loopbackNotice };
  return { origin, reachable: true, notice: null };
}
