import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { forgetSecrets, forkTestHost, type TestHost } from '../helpers/core-host.ts';
import { StartupFailedError } from '../../src-main/core-host/client.ts';
import { RaceDeskError } from '../../src-main/core/errors.ts';
import { openDatabase } from '../../src-main/core/store/database.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { updateSettings } from '../../src-main/core/settings/settings.ts';
import { startProviderSimulator } from '../../src-main/simulators/registry.ts';
import { seedEvent } from '../core/results/seed.ts';
import { createKeychain } from '../../src-main/core/credentials/keychain.ts';
import { forDataFolder } from '../../src-main/core/credentials/data-folder.ts';

// The core host as the desktop app starts it (its own process, the port protocol), from the built bundle.
const hosts: TestHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.cleanup();
});
function fork(options?: Parameters<typeof forkTestHost>[0]): TestHost {
  const host = forkTestHost(options);
  hosts.push(host);
  return host;
}

describe('core host', () => {
  it('runs a sync in its own process, relays its progress events, and closes the database on shutdown', async () => {
    const host = fork();
    const sim = await startProviderSimulator('runsignup', { size: 'small', seed: 3 });
    try {
      await host.client.start({ dataDir: host.dataDir });
      const events: string[] = [];
      host.client.onEvent((name) => events.push(name));
      expect(await host.client.call('partner.set', { id: 1, name: 'Host Timing' })).toMatchObject({ ok: true });
      const added = await host.client.call('accounts.add', { provider: 'runsignup', label: 'main', baseUrl: sim.url, secret: sim.credential });
      expect(added).toMatchObject({ ok: true });
      // The host asked this process (playing main) to store the secret in its OS keychain.
      expect(await forDataFolder(createKeychain(host.keychainService), host.dataDir).get('runsignup:main')).toEqual(sim.credential);
      const synced = await host.client.call('sync.run', { provider: 'runsignup', account: 'main' });
      expect(synced).toMatchObject({ ok: true, value: { status: 'success' } });
      expect(events).toContain('sync.progress');

      expect(await host.client.shutdown()).toBe(0);
      // The host closed cleanly: the file opens and holds what the sync stored.
      const db = openDatabase(join(host.dataDir, 'racedesk.sqlite'));
      const { n } = db.prepare('SELECT count(*) AS n FROM runsignup_participants').get() as { n: number };
      db.close();
      expect(n).toBeGreaterThan(0);
    } finally {
      await sim.close();
      await forgetSecrets(host, ['runsignup:main']);
    }
  });

  it('watches the results folder the switch was left on, and stops watching it on shutdown', async () => {
    const host = fork();
    const folder = mkdtempSync(join(tmpdir(), 'racedesk-lynx-'));
    try {
      // The laptop was shut down with the Results screen's switch on.
      const db = openDatabase(join(host.dataDir, 'racedesk.sqlite'));
      seedEvent(db);
      db.close();
      updateSettings(createConfSettings(host.dataDir), (settings) => ({ ...settings, resultsWatch: { event: '5001', provider: 'runsignup', folder } }));

      await host.client.start({ dataDir: host.dataDir });
      expect(await host.client.call('results.watchStatus', {})).toMatchObject({ ok: true, value: { watching: true, folder, event: '5001' } });
      const imported = new Promise<unknown>((resolve) =>
        host.client.onEvent((name, payload) => {
          if (name === 'results.watch' && (payload as { imports: number }).imports === 1) resolve(payload);
        }),
      );
      writeFileSync(join(folder, 'heat1.lif'), ['1,1,1,City 10K,,,,', '1,101,,Smith,Ann,City RC,40:30', '2,999,,Walk,Up,,41:00', ''].join('\n'));
      expect(await imported).toMatchObject({ watching: true, written: 1, held: 1, lastImport: { fileName: 'heat1.lif' } });

      expect(await host.client.shutdown()).toBe(0);
      const after = openDatabase(join(host.dataDir, 'racedesk.sqlite'));
      expect(after.prepare('SELECT bib_number, gun_time_ms FROM crew_results').all()).toEqual([{ bib_number: '101', gun_time_ms: 2_430_000 }]);
      after.close();
      // Shutting down is not switching off: the next start watches again.
      expect(createConfSettings(host.dataDir).read().resultsWatch).toEqual({ event: '5001', provider: 'runsignup', folder });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers calls with the same {ok, error} shape as dispatch', async () => {
    const host = fork();
    await host.client.start({ dataDir: host.dataDir });
    expect(await host.client.call('no.such.call', {})).toEqual({ ok: false, error: { code: 'not_found', message: 'Unknown API call "no.such.call".' } });
  });
});

describe('core host start-up failures', () => {
  async function failureOf(host: TestHost, options: Partial<Parameters<TestHost['client']['start']>[0]> = {}) {
    const error = await host.client.start({ dataDir: host.dataDir, ...options }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupFailedError);
    return (error as StartupFailedError).failure;
  }

  it('names a database written by a newer RaceDesk', async () => {
    const host = fork();
    const db = openDatabase(join(host.dataDir, 'racedesk.sqlite'));
    db.pragma('user_version = 9999');
    db.close();
    const failure = await failureOf(host);
    expect(failure.code).toBe('database_too_new');
    expect(failure.message).toMatch(/schema version 9999.*Update RaceDesk/);
  });

  it('names a native module built for another runtime', async () => {
    const host = fork();
    const notABinding = join(host.dataDir, 'better_sqlite3.node');
    writeFileSync(notABinding, 'not a shared library');
    const failure = await failureOf(host, { sqliteBinding: notABinding });
    expect(failure.code).toBe('native_module');
    expect(failure.message).toContain('npm run rebuild:electron');
  });

  it('names a station port another program holds', async () => {
    const host = fork();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      updateSettings(createConfSettings(host.dataDir), (s) => ({ ...s, station: { ...s.station, host: '127.0.0.1', port, enabled: true } }));
      const failure = await failureOf(host);
      expect(failure.code).toBe('port_in_use');
      expect(failure.message).toContain(String(port));
      expect(failure.message).toContain('config.json');
    } finally {
      blocker.close();
    }
  });

  // A main process whose keychain is missing: tests/electron/shell.test.ts, with a real one gone.
  it("passes on main's answer that the keychain refused the start-up probe", async () => {
    const refusing = 'No OS keychain available: RaceDesk keeps credentials only in the system keychain. Start or unlock it and try again.';
    const host = fork({
      keychain: (real) => ({ ...real, set: () => Promise.reject(new RaceDeskError('keychain_unavailable', refusing)) }),
    });
    expect(await failureOf(host)).toEqual({ code: 'keychain_unavailable', title: 'No OS keychain available', message: refusing });
  });

  it('names a keychain request main never answers, after the timeout', async () => {
    const host = fork({ keychain: (real) => ({ ...real, set: () => new Promise(() => {}) }) });
    const failure = await failureOf(host, { keychainTimeoutMs: 200 });
    expect(failure.code).toBe('keychain_unavailable');
    expect(failure.message).toContain('The OS keychain did not answer within 0.2 s');
  });

  it('does not wait for an answer once main has closed the port mid-request: the host closes and exits', async () => {
    let asked = 0;
    const host: TestHost = fork({
      keychain: (real) => ({
        ...real,
        set: () => {
          asked += 1;
          host.disconnect();
          return new Promise(() => {});
        },
      }),
    });
    // Far beyond the test's own time limit: only the closed port can end the request in time.
    const started = host.client.start({ dataDir: host.dataDir, keychainTimeoutMs: 3_600_000 });
    await expect(started).rejects.toThrow(/core stopped \(exit code 0\)/);
    expect(await host.client.exited).toBe(0);
    expect(asked).toBe(1);
  });

  it('turns a host that dies before it is ready into a failure, not a hang', async () => {
    const host = fork({ env: { ...process.env, NODE_OPTIONS: '--require=/nonexistent/racedesk-preload.cjs' } });
    const failure = await failureOf(host);
    expect(failure.message).toMatch(/core stopped \(exit code 1\)/);
  });
});
