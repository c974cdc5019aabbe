import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { forkCoreHost } from '../../src-main/core-host/fork.ts';
import type { CoreHostClient } from '../../src-main/core-host/client.ts';
import { createKeychain, type CredentialStore } from '../../src-main/core/credentials/keychain.ts';
import { forDataFolder } from '../../src-main/core/credentials/data-folder.ts';

/** The built core host, the same file the desktop app starts as its utilityProcess. */
export const coreHostEntry = join(import.meta.dirname, '../../out/main/core-host.js');

export interface TestHost {
  client: CoreHostClient;
  /** The host's process id (to end it the hard way, as a crash would). */
  pid: number | undefined;
  dataDir: string;
  keychainService: string;
  /** Closes the test's end of the port, as a main process that ends does. */
  disconnect(): void;
  cleanup(): Promise<void>;
}

/**
 * Forks the built core host over a fresh data folder. The test plays the main process: it answers
 * the host's keychain requests from the real OS keychain under a service of its own (or from
 * `keychain`, a main process that misbehaves). Needs `npx electron-vite build` first (npm test builds).
 */
export function forkTestHost(options: { dataDir?: string; env?: NodeJS.ProcessEnv; keychain?: (real: CredentialStore) => CredentialStore } = {}): TestHost {
  if (!existsSync(coreHostEntry)) throw new Error(`${coreHostEntry} is missing: run \`npx electron-vite build\` first.`);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'racedesk-host-'));
  const keychainService = `racedesk-test-${randomUUID()}`;
  const real = createKeychain(keychainService);
  const { client, pid, disconnect } = forkCoreHost(coreHostEntry, options.keychain?.(real) ?? real, options.env ?? process.env);
  return {
    client,
    pid,
    dataDir,
    keychainService,
    disconnect,
    async cleanup() {
      await client.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes what a test stored under its keychain service, for its data folder. */
export async function forgetSecrets(host: Pick<TestHost, 'keychainService' | 'dataDir'>, accounts: string[]): Promise<void> {
  const keychain = forDataFolder(createKeychain(host.keychainService), host.dataDir);
  for (const account of accounts) await keychain.delete(account);
}
