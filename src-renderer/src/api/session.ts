/*
 * The browser's pairing with a station. The printed address and the QR code carry a one-time
 * pairing code (?pair=...): it is taken out of the address bar at once (bookmarks, screenshots,
 * shoulder-surfing) and kept for this tab until it is exchanged for the device's own token. The
 * token is kept in localStorage, so closing the tab or the browser does not unpair the device;
 * only the station revoking it does. The device's name is kept beside it: the station signs
 * this device's check-ins with the name it joined under.
 */
import { readApiResult, type ApiResult } from './client.ts';

const tokenKey = 'racedesk.deviceToken';
const pendingCodeKey = 'racedesk.pairingCode';
const stationNameKey = 'racedesk.stationName';

export interface AddressBar {
  href: string;
  replace(url: string): void;
}

/** Moves ?pair= from the address into `tabStorage`; returns the code waiting to be exchanged, if any. */
export function adoptPairingCodeFromAddress(address: AddressBar, tabStorage: Storage): string | null {
  const url = new URL(address.href);
  const fromAddress = url.searchParams.get('pair');
  if (fromAddress) {
    tabStorage.setItem(pendingCodeKey, fromAddress);
    url.searchParams.delete('pair');
    address.replace(url.pathname + (url.search === '?' ? '' : url.search) + url.hash);
    return fromAddress;
  }
  return tabStorage.getItem(pendingCodeKey);
}

export function forgetPendingCode(tabStorage: Storage): void {
  tabStorage.removeItem(pendingCodeKey);
}

export function storedToken(storage: Storage): string | null {
  return storage.getItem(tokenKey);
}

export function storeToken(storage: Storage, token: string): void {
  storage.setItem(tokenKey, token);
}

/** Leaves the station: the next load asks for a QR code or pairing code again. */
export function forgetToken(storage: Storage): void {
  storage.removeItem(tokenKey);
}

export function storedStationName(storage: Storage): string | null {
  const name = storage.getItem(stationNameKey)?.trim();
  return name ? name : null;
}

export function storeStationName(storage: Storage, name: string): void {
  const trimmed = name.trim();
  if (trimmed) storage.setItem(stationNameKey, trimmed);
  else storage.removeItem(stationNameKey);
}

export interface Joined {
  token: string;
  role: 'venue' | 'admin';
  name: string;
}

/**
 * Exchanges a pairing code (typed, any case, dash optional) for this device's token and keeps it
 * with the name. A wrong, used or expired code comes back as the station's plain explanation.
 */
export async function joinStation(code: string, deviceName: string, storage: Storage, doFetch: typeof fetch = fetch.bind(globalThis), baseUrl = ''): Promise<ApiResult<Joined>> {
  let answer: ApiResult<unknown>;
  try {
    const response = await doFetch(`${baseUrl}/api/pair`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: code.trim(), deviceName: deviceName.trim() }),
    });
    answer = await readApiResult(response);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'network_error', message: `The station cannot be reached (${detail}). Check the Wi-Fi and that the station laptop is running.` } };
  }
  if (!answer.ok) return answer;
  const joined = answer.value as Joined;
  storeToken(storage, joined.token);
  storeStationName(storage, joined.name);
  return { ok: true, value: joined };
}
