import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CredentialStore } from './keychain.ts';

/*
 * Keychain entries belong to one data folder: "hub @ /home/crew/race-a" beside
 * "hub @ /home/crew/race-b", so a second data folder (a demo, a second race on the same laptop)
 * no longer overwrites the first one's hub password or a provider account of the same label.
 *
 * Entries written before they were per folder are named by the account alone. They are read as a
 * fallback and copied under the folder's name on first use; the old entry stays, since another
 * data folder set up before the change may still be reading it, and is removed with the account
 * only while it holds this folder's secret.
 */
export function forDataFolder(store: CredentialStore, dataDir: string): CredentialStore {
  let folder: string | null = null;
  const scoped = (account: string) => {
    folder ??= canonical(dataDir);
    return `${account} @ ${folder}`;
  };
  return {
    async get(account) {
      const own = await store.get(scoped(account));
      if (own) return own;
      const legacy = await store.get(account);
      if (legacy) await store.set(scoped(account), legacy);
      return legacy;
    },
    set(account, secret) {
      return store.set(scoped(account), secret);
    },
    async delete(account) {
      const own = await store.get(scoped(account));
      await store.delete(scoped(account));
      const legacy = await store.get(account);
      if (legacy && own && JSON.stringify(legacy) === JSON.stringify(own)) await store.delete(account);
    },
  };
}

/** The folder's real path, so ./data and /home/crew/data (or a symlink to it) name one folder. */
function canonical(dataDir: string): string {
  try {
    return realpathSync(dataDir);
  } catch {
    return resolve(dataDir);
  }
}
