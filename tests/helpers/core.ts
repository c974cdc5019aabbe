import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCore, type Core, type CoreOptions } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { createKeychain, type CredentialStore } from '../../src-main/core/credentials/keychain.ts';
import { dispatch } from '../../src-main/core/api/dispatch.ts';
import type { Handlers, HandlerName } from '../../src-main/core/api/handlers.ts';
import type { InputOf, OutputOf } from '../../src-main/core/api/contract.ts';

export interface TestCore extends Core {
  /** Keychain service name unique to this test core (entries are removed by cleanup()). */
  keychainService: string;
  /** Closes the core and removes its folder at once; the promise settles when its keychain entries are gone too. */
  cleanup(): Promise<void>;
}

/**
 * A real core over a fresh data folder: real SQLite file, real conf settings file, and the real
 * OS keychain (Secret Service) under a service name of its own.
 */
export function createTestCore(options: Partial<CoreOptions> = {}): TestCore {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'racedesk-test-'));
  const keychainService = `racedesk-test-${randomUUID()}`;
  const credentials = options.credentials ?? createKeychain(keychainService);
  const core = createCore({
    dataDir,
    settings: options.settings ?? createConfSettings(dataDir),
    credentials,
    httpRetry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 5_000 },
    stationName: 'Test station',
    ...options,
  });
  const keys = new Set<string>();
  const trackingCredentials: CredentialStore = {
    get: (account) => core.credentials.get(account),
    set: (account, secret) => {
      keys.add(account);
      return core.credentials.set(account, secret);
    },
    delete: (account) => core.credentials.delete(account),
  };
  return Object.assign(Object.create(Object.getPrototypeOf(core)), core, {
    credentials: trackingCredentials,
    keychainService,
    async cleanup() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
      // An entry may already be gone (account removed by the test).
      await Promise.all([...keys].map((key) => core.credentials.delete(key).catch(() => undefined)));
    },
  });
}

/** Calls a handler through the API contract and returns its value, failing the test on an error. */
export async function call<K extends HandlerName>(core: Core, name: K, input: InputOf<Handlers[K]>): Promise<OutputOf<Handlers[K]>> {
  const result = await dispatch(core, name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as OutputOf<Handlers[K]>;
}
