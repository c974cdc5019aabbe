import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adoptPairingCodeFromAddress, joinStation, storedStationName, storeStationName, storedToken } from '../../../src-renderer/src/api/session.ts';

/** The Web Storage API over a Map: Node has no Web Storage, and these functions only need the interface. */
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
  it('takes the pairing code out of the address bar and keeps it for the tab until it is exchanged', () => {
    const tab = memoryStorage();
    const replaced: string[] = [];
    const code = adoptPairingCodeFromAddress({ href: 'http://10.0.0.5:4888/?pair=ABCD-EFGH&x=1#/pickup', replace: (u: string) => replaced.push(u) }, tab);
    expect(code).toBe('ABCD-EFGH');
    expect(replaced).toEqual(['/?x=1#/pickup']);
    expect(adoptPairingCodeFromAddress({ href: 'http://10.0.0.5:4888/?x=1#/pickup', replace: (u: string) => replaced.push(u) }, tab)).toBe('ABCD-EFGH');
    expect(replaced).toHaveLength(1);
  });

  it('keeps the token it got for the code, with the name, and passes on a refusal in the station’s words', async () => {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { code, deviceName } = JSON.parse(body) as { code: string; deviceName: string };
        response.writeHead(code === 'GOOD-CODE' ? 200 : 401, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(code === 'GOOD-CODE' ? { ok: true, value: { token: 'rdv_t', role: 'venue', name: deviceName } } : { ok: false, error: { code: 'unauthorized', message: 'not a pairing code' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const storage = memoryStorage();
      expect(await joinStation('BAD', 'Table 2', storage, fetch, baseUrl)).toEqual({ ok: false, error: { code: 'unauthorized', message: 'not a pairing code' } });
      expect(storedToken(storage)).toBeNull();
      expect(await joinStation(' GOOD-CODE ', ' Table 2 ', storage, fetch, baseUrl)).toMatchObject({ ok: true, value: { role: 'venue' } });
      expect(storedToken(storage)).toBe('rdv_t');
      expect(storedStationName(storage)).toBe('Table 2');
    } finally {
      server.close();
    }
  });

  it('stores the device station name trimmed, and forgets an empty one', () => {
    const storage = memoryStorage();
    storeStationName(storage, '  Table 2 ');
    expect(storedStationName(storage)).toBe('Table 2');
    storeStationName(storage, '   ');
    expect(storedStationName(storage)).toBeNull();
  });
});
