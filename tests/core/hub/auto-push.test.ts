import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { HubAutoPush } from '../../../src-main/core/hub/auto-push.ts';
import { pendingChangeCount } from '../../../src-main/core/hub/outbox.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';
import { hubSnapshot, localSnapshot, workRound } from './laptop-kit.ts';
import { loginUrl } from './hub-test-kit.ts';

// Uses the real OS keychain: run as `node scripts/with-keychain.js npx vitest run tests/core/hub`.
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

let core: TestCore | undefined;
let proxy: TcpProxy | undefined;
let autoPush: HubAutoPush | undefined;
afterEach(async () => {
  autoPush?.stop();
  await proxy?.close();
  core?.cleanup();
  [core, proxy, autoPush] = [undefined, undefined, undefined];
});

async function laptopWithHub() {
  const adminUrl = await server.createDatabase();
  await migrateHub({ url: adminUrl });
  const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(adminUrl).port) });
  const viaProxy = new URL(loginUrl(adminUrl, partner.role, partner.password));
  viaProxy.port = String(proxy.port);
  core = createTestCore();
  updateSettings(core.settings, (s) => ({ ...s, partner: { id: partner.timing_partner_id, name: 'Acme Timing' } }));
  // The password rides in the URL here; hub.set moves it into the keychain.
  const saved = await call(core, 'hub.set', { url: viaProxy.toString() });
  return { adminUrl, partner, core, proxy, saved };
}

describe('hub handlers and auto-push', () => {
  it('hub.set keeps the password in the keychain, not in settings; hub.test and hub.push use it', async () => {
    const { adminUrl, partner, core, saved } = await laptopWithHub();
    expect(saved.url).not.toContain(partner.password);
    expect(core.settings.read().hub?.url).toBe(saved.url);
    expect(await core.credentials.get('hub')).toEqual({ password: partner.password });

    expect(await call(core, 'hub.test', {})).toMatchObject({ ready: true, role: partner.role, timingPartnerId: partner.timing_partner_id, problem: null });
    workRound(core.db, 1, 4);
    const pending = pendingChangeCount(core.db);
    expect(await call(core, 'hub.status', {})).toMatchObject({ pendingChanges: pending, lastPush: { at: null }, autoPush: null });
    expect(await call(core, 'hub.push', {})).toEqual({ batches: 1, rows: pending, pending: 0 });
    const status = await call(core, 'hub.status', {});
    expect(status.pendingChanges).toBe(0);
    expect(status.lastPush.at).not.toBeNull();
    expect(await hubSnapshot(adminUrl, partner.timing_partner_id)).toEqual(localSnapshot(core.db));
  });

  it('notices when the hub becomes reachable and pushes by itself, backing off while it is not', async () => {
    const { adminUrl, partner, core, proxy } = await laptopWithHub();
    proxy.cutAfter(0); // The venue has no internet: every connection dies at once.
    workRound(core.db, 1, 6);
    autoPush = new HubAutoPush(core, { idleMs: 50, firstBackoffMs: 20, maxBackoffMs: 100 }).start();
    await vi.waitFor(() => expect(autoPush!.state().consecutiveFailures).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 20 });
    expect(autoPush.state().lastError).toMatch(/Cannot reach the hub/);
    expect(pendingChangeCount(core.db)).toBeGreaterThan(0);

    proxy.restore(); // Back online.
    // The outbox empties when the last batch is done; the auto-push records its success just after.
    await vi.waitFor(
      () => {
        expect(pendingChangeCount(core.db)).toBe(0);
        expect(autoPush!.state()).toMatchObject({ running: true, consecutiveFailures: 0, lastError: null });
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(await hubSnapshot(adminUrl, partner.timing_partner_id)).toEqual(localSnapshot(core.db));

    // Later changes go out on their own too.
    workRound(core.db, 2, 6);
    core.events.emit('data.changed', { area: 'sync' });
    await vi.waitFor(() => expect(pendingChangeCount(core.db)).toBe(0), { timeout: 10_000, interval: 20 });
    expect(await hubSnapshot(adminUrl, partner.timing_partner_id)).toEqual(localSnapshot(core.db));
  });
});
