import { describe, expect, it } from 'vitest';
import { adoptTokenFromAddress, storedStationName, storeStationName, storedToken } from '../../../src-renderer/src/api/session.ts';

/** The Web Storage API over a Map: Node has no sessionStorage, and these functions only need the interface. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}

describe('pairing a browser with the station', () => {
  it('keeps the token from the printed URL and strips it from the address bar', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const token = adoptTokenFromAddress({ href: 'http://10.0.0.5:4888/?token=abc123&x=1#/pickup', replace: (u) => replaced.push(u) }, storage);
    expect(token).toBe('abc123');
    expect(storedToken(storage)).toBe('abc123');
    expect(replaced).toEqual(['/?x=1#/pickup']);
  });

  it('leaves the address alone and uses the kept token on reload', () => {
    const storage = memoryStorage();
    storage.setItem('racedesk.stationToken', 'kept');
    const replaced: string[] = [];
    expect(adoptTokenFromAddress({ href: 'http://10.0.0.5:4888/#/sync', replace: (u) => replaced.push(u) }, storage)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('stores the device station name trimmed, and forgets an empty one', () => {
    const storage = memoryStorage();
    storeStationName(storage, '  Table 2 ');
    expect(storedStationName(storage)).toBe('Table 2');
    storeStationName(storage, '   ');
    expect(storedStationName(storage)).toBeNull();
  });
});
