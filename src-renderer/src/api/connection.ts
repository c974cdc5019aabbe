import { createClient, createElectronTransport, createStationTransport, type Client } from './client.ts';
import { adoptTokenFromAddress, storedStationName, storedToken } from './session.ts';

/** Builds the client for wherever the page runs: inside Electron (preload bridge) or a browser on the station. */
export function connect(): Client {
  if (window.racedesk) return createClient(createElectronTransport(window.racedesk));
  adoptTokenFromAddress(
    { href: window.location.href, replace: (url) => window.history.replaceState(window.history.state, '', url) },
    window.sessionStorage,
  );
  return createClient(
    createStationTransport({
      token: () => storedToken(window.sessionStorage),
      stationName: () => storedStationName(window.localStorage),
      EventSource: window.EventSource,
    }),
  );
}
