import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { createClient, type Client, type LinkState, type Transport } from '../../../src-renderer/src/api/client.ts';
import { Device } from '../../../src-renderer/src/offline/device.ts';
import { withDeviceCopy } from '../../../src-renderer/src/offline/device-transport.ts';
import type { DeviceStore, QueuedOp, StoredCopy } from '../../../src-renderer/src/offline/device-store.ts';
import { runners, seedVenue } from '../../core/pickup/seed.ts';

/*
 * A joined device ("Tablet 3") against a real station core (real SQLite) over a network this test
 * can cut: while the station is unreachable the device looks runners up in its copy and queues
 * check-ins and bib changes; once the station answers again they are sent in order and applied
 * exactly once, and conflicts come back in plain words. The browser's IndexedDB is stood in for
 * by memory here; tests/e2e/pickup-offline.e2e.test.ts runs the real one in Chromium.
 */
interface Network {
  up: boolean;
  /** The station gets the call, but its answer is lost on the way back. */
  loseAnswers: boolean;
  links: Set<(state: LinkState) => void>;
}

function stationTransport(core: TestCore, network: Network): Transport {
  return {
    kind: 'station',
    async invoke(name, input) {
      if (!network.up) throw new TypeError('Failed to fetch');
      // The station server fills the station name from the device's X-RaceDesk-Station header.
      const answer = await dispatch(core, name, { ...(input as object), stationName: 'Tablet 3' });
      if (network.loseAnswers) throw new TypeError('Failed to fetch');
      return answer;
    },
    subscribe: (event, listener) => core.events.on(event as 'data.changed', (payload) => network.up && listener(payload)),
    onLinkState(listener) {
      network.links.add(listener);
      listener('online');
      return () => network.links.delete(listener);
    },
  };
}

function memoryStore(): DeviceStore & { ops: QueuedOp[]; copy: StoredCopy | null } {
  let seq = 0;
  const store = {
    ops: [] as QueuedOp[],
    copy: null as StoredCopy | null,
    readCopy: async () => store.copy,
    writeCopy: async (copy: StoredCopy) => {
      store.copy = structuredClone(copy);
    },
    queued: async () => structuredClone(store.ops),
    enqueue: async (op: Omit<QueuedOp, 'seq'>) => {
      const queued = { ...structuredClone(op), seq: ++seq } as QueuedOp;
      store.ops.push(queued);
      return queued;
    },
    remove: async (removed: number) => {
      store.ops = store.ops.filter((op) => op.seq !== removed);
    },
  };
  return store;
}

let core: TestCore;
let network: Network;
let store: ReturnType<typeof memoryStore>;
const devices: Device[] = [];

beforeEach(() => {
  core = createTestCore();
  seedVenue(core.db);
  network = { up: true, loseAnswers: false, links: new Set() };
  store = memoryStore();
});
afterEach(() => {
  for (const device of devices.splice(0)) device.stop();
  core.cleanup();
});

async function joinDevice(): Promise<{ device: Device; client: Client }> {
  const transport = stationTransport(core, network);
  let opIds = 0;
  const device = new Device({ client: createClient(transport), store, deviceName: () => 'Tablet 3', newOpId: () => `tablet3-op-${devices.length}-${++opIds}` });
  devices.push(device);
  await device.start();
  await device.follow([]);
  return { device, client: createClient(withDeviceCopy(transport, device)) };
}

function dropWifi(): void {
  network.up = false;
  for (const listener of network.links) listener('connecting');
}

const checkIns = (participantId: string) =>
  (core.db.prepare("SELECT count(*) AS n FROM participant_changes WHERE kind = 'check_in' AND participant_id = ?").get(participantId) as { n: number }).n;

describe('a joined device without its station', () => {
  it('looks runners up, opens their card and counts from its copy, with the station rules', async () => {
    const { device, client } = await joinDevice();
    expect(device.current().copy?.runners).toBeGreaterThanOrEqual(5);
    const online = await client.call('lookup.search', { query: 'nunez', limit: 30 });
    dropWifi();
    expect(device.current().link).toBe('unreachable');
    const offline = await client.call('lookup.search', { query: 'nunez', limit: 30 });
    expect(offline.rows.map((row) => row.participant_id)).toEqual(online.rows.map((row) => row.participant_id));
    expect(offline.rows.map((row) => row.last_name)).toContain('Núñez');
    expect((await client.call('lookup.search', { query: '12', limit: 30 })).rows.map((row) => row.last_name)).toEqual(["O'Brien"]);
    expect((await client.call('pickup.participant', runners.ana)).participant).toMatchObject({ first_name: 'Ana', checked_in: false });
    const counted = await client.call('pickup.counters', {});
    expect(counted.total.registered).toBe((await call(core, 'pickup.counters', {})).total.registered);
  });

  it('queues check-ins and a bib change, and sends them once, in order, when the station is back; conflicts in plain words', async () => {
    const { device, client } = await joinDevice();
    dropWifi();
    expect(await device.checkIn(runners.ana, 'Ana Núñez')).toEqual({ queued: true });
    expect(await device.checkIn(runners.jose, 'José García')).toEqual({ queued: true });
    expect(await device.changeBib({ ...runners.obrien, newBib: '77', confirmTaken: false }, "Liam O'Brien")).toEqual({ queued: true });
    expect(device.current().queued).toBe(3);
    // The copy shows what this device did; a second check-in of the same runner is caught on the device.
    expect((await client.call('pickup.participant', runners.ana)).participant).toMatchObject({ checked_in: true, checked_in_by: 'Tablet 3' });
    expect((await client.call('lookup.search', { query: '77', limit: 5 })).rows.map((row) => row.last_name)).toEqual(["O'Brien"]);
    expect(await device.checkIn(runners.ana, 'Ana Núñez')).toMatchObject({ queued: false, value: { alreadyCheckedIn: true, by: 'Tablet 3' } });

    // Meanwhile the laptop's own table checks José in.
    const table2 = await call(core, 'pickup.checkIn', { ...runners.jose, stationName: 'Table 2' });
    network.up = true;
    await device.reconnect();

    expect(device.current()).toMatchObject({ link: 'online', queued: 0 });
    expect(checkIns(runners.ana.participantId)).toBe(1);
    expect(checkIns(runners.jose.participantId)).toBe(1);
    expect((await call(core, 'pickup.participant', runners.ana)).participant).toMatchObject({ checked_in: true, checked_in_by: 'Tablet 3' });
    expect((await call(core, 'pickup.participant', runners.obrien)).participant.bib_number).toBe('77');
    const time = new Date(table2.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    expect(device.current().reports.map((report) => [report.tone, report.text])).toEqual([
      ['done', "Liam O'Brien: bib 77 sent to the station."],
      ['conflict', `José García was already checked in by Table 2 at ${time}. This device's check-in changed nothing.`],
      ['done', 'Ana Núñez: check-in sent to the station.'],
    ]);
    expect(store.ops).toEqual([]);
  });

  it('a check-in whose answer was lost is sent again and still applied once', async () => {
    const { device } = await joinDevice();
    network.loseAnswers = true;
    expect(await device.checkIn(runners.ana, 'Ana Núñez')).toEqual({ queued: true });
    expect(checkIns(runners.ana.participantId)).toBe(1);
    network.loseAnswers = false;
    await device.reconnect();
    await device.reconnect();
    expect(checkIns(runners.ana.participantId)).toBe(1);
    expect(device.current().reports.map((report) => report.text)).toEqual(['Ana Núñez: check-in sent to the station.']);
  });

  it('a bib taken meanwhile is reported with its holder and the runner keeps their bib', async () => {
    const { device } = await joinDevice();
    dropWifi();
    // Bib 10 is Ana's in the copy: the device warns at once, as the station would.
    expect(await device.changeBib({ ...runners.obrien, newBib: '10', confirmTaken: false }, "Liam O'Brien")).toMatchObject({
      queued: false,
      value: { changed: false, takenBy: [{ firstName: 'Ana', lastName: 'Núñez', bib: '10' }] },
    });
    expect(await device.changeBib({ ...runners.obrien, newBib: '55', confirmTaken: false }, "Liam O'Brien")).toEqual({ queued: true });
    await call(core, 'pickup.changeBib', { ...runners.jose, newBib: '55', stationName: 'Table 2' });
    network.up = true;
    await device.reconnect();
    expect(device.current().reports[0]).toEqual({
      seq: expect.any(Number),
      tone: 'conflict',
      text: "Bib 55 was taken meanwhile by José García. Liam O'Brien keeps bib 12: give them another one.",
    });
    expect((await call(core, 'pickup.participant', runners.obrien)).participant.bib_number).toBe('12');
  });

  it('what was queued survives closing the page and is sent by the next visit', async () => {
    const first = await joinDevice();
    dropWifi();
    await first.device.checkIn(runners.ana, 'Ana Núñez');
    first.device.stop();

    network.up = true;
    const next = await joinDevice();
    // start() sends the earlier visit's queue; follow() then re-reads the copy.
    await next.device.reconnect();
    expect(checkIns(runners.ana.participantId)).toBe(1);
    expect(next.device.current().queued).toBe(0);
    expect((await next.client.call('pickup.participant', runners.ana)).participant.checked_in).toBe(true);
  });
});
