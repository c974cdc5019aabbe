import { createClient, createElectronTransport, createStationTransport, type Client } from './client.ts';
import { storedToken } from './session.ts';

/** Builds the client for wherever the page runs: inside Electron (preload bridge) or a browser on the station. */
export function connect(): Client {
  if (window.racedesk) return createClient(createElectronTransport(window.racedesk));
  return createClient(
    createStationTransport({
      token: () => storedToken(window.localStorage),
      EventSource: window.EventSource,
    }),
  );
}
