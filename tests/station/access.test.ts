import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../helpers/core.ts';
import { joinStation, makeStaticDir } from '../helpers/station.ts';
import { startStationServer, type RunningStation } from '../../src-main/station/server.ts';
import { handlers } from '../../src-main/core/api/handlers.ts';
import { seedVenue } from '../core/pickup/seed.ts';

/*
 * Every handler, called over HTTP as a venue device (a check-in table) and as an admin device.
 * The lists are written out here rather than read from api/access.ts, so widening a device's
 * rights is a visible change to this test, not a silent one.
 */
const venueCalls = [
  'lookup.search',
  'lookup.removed',
  'lookup.stationScope',
  'pickup.participant',
  'pickup.checkIn',
  'pickup.undoCheckIn',
  'pickup.changeBib',
  'pickup.registerWalkUp',
  'pickup.nextFreeBib',
  'pickup.bibRanges',
  'pickup.deviceCopy',
  'pickup.counters',
  'browse.eventChoices',
  'station.whoami',
  'station.renameSelf',
];
const laptopOnlyCalls = [
  'hub.migrate',
  'hub.addPartner',
  'hub.set',
  'station.configure',
  'station.pairingCode',
  'station.devices',
  'station.revokeDevice',
  'station.setDeviceRole',
  'lookup.setStationScope',
];

let core: TestCore;
let station: RunningStation;
let statics: ReturnType<typeof makeStaticDir>;
const tokens: Record<'venue' | 'admin', string> = { venue: '', admin: '' };

beforeAll(async () => {
  core = createTestCore();
  seedVenue(core.db);
  statics = makeStaticDir();
  station = await startStationServer({ core, staticDir: statics.dir });
  tokens.venue = await joinStation(core, station.origin, 'Table 1', 'venue');
  tokens.admin = await joinStation(core, station.origin, 'Office', 'admin');
});
afterAll(async () => {
  await station?.close();
  core?.cleanup();
  statics?.remove();
});

async function callAs(role: 'venue' | 'admin', name: string): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string } } }> {
  const response = await fetch(`${station.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens[role]}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return { status: response.status, body: await response.json() };
}

const names = Object.keys(handlers);

describe('every handler over HTTP', () => {
  it('the lists name only real handlers', () => {
    for (const name of [...venueCalls, ...laptopOnlyCalls]) expect(names).toContain(name);
  });

  it.each(names)('%s', async (name) => {
    for (const role of ['venue', 'admin'] as const) {
      const allowed = role === 'venue' ? venueCalls.includes(name) : !laptopOnlyCalls.includes(name);
      const { status, body } = await callAs(role, name);
      if (allowed) {
        // It answers: a value, or the handler's own complaint about the empty input.
        expect(status, `${name} as ${role}`).toBe(200);
        expect(body.error?.code, `${name} as ${role}`).not.toBe('forbidden');
      } else {
        expect(status, `${name} as ${role}`).toBe(403);
        expect(body, `${name} as ${role}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(body.error?.message).toMatch(laptopOnlyCalls.includes(name) ? /only be done on the station laptop itself/ : /make it an admin on the station laptop \(Settings › Devices\)/);
      }
    }
  });
});

describe('provider account addresses', () => {
  it('must be https:// unless they point at this computer', async () => {
    const { dispatch } = await import('../../src-main/core/api/dispatch.ts');
    const answer = await dispatch(core, 'accounts.add', { provider: 'runsignup', label: 'x', baseUrl: 'http://evil.example.com', secret: {} });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('baseUrl: must start with https://') } });
  });
});
