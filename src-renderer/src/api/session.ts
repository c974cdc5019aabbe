/*
 * The browser's pairing with a station: the token arrives once in the printed URL / QR code
 * (?token=...), is kept for the tab's life in sessionStorage and removed from the address bar so
 * it does not end up in bookmarks, screenshots or shoulder-surfing. The device's station name
 * (who did a check-in) is chosen in Settings and kept in localStorage across visits.
 */
const tokenKey = 'racedesk.stationToken';
const stationNameKey = 'racedesk.stationName';

export interface AddressBar {
  href: string;
  replace(url: string): void;
}

/** Moves ?token= from the address into storage; returns the token in use (new or kept). */
export function adoptTokenFromAddress(address: AddressBar, storage: Storage): string | null {
  const url = new URL(address.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress) {
    storage.setItem(tokenKey, fromAddress);
    url.searchParams.delete('token');
    address.replace(url.pathname + (url.search === '?' ? '' : url.search) + url.hash);
    return fromAddress;
  }
  return storage.getItem(tokenKey);
}

export function storedToken(storage: Storage): string | null {
  return storage.getItem(tokenKey);
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

/** A token typed by hand: the station's short code (e.g. "K7PQ-M2XD") opens the API like the long token. */
export function storeToken(storage: Storage, token: string): void {
  storage.setItem(tokenKey, token.trim());
}

/** Leaves the station: the next load asks for a QR code or short code again. */
export function forgetToken(storage: Storage): void {
  storage.removeItem(tokenKey);
}
