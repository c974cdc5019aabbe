import { AsyncEntry } from '@napi-rs/keyring';
import { RaceDeskError } from '../errors.ts';

/**
 * Secrets (provider API keys, the hub password) live only in the OS keychain: the Secret Service
 * on Linux, Keychain on macOS, Credential Manager on Windows. One entry per account, holding the
 * account's secret fields as JSON. There is no fallback to a file: without a keychain we refuse.
 *
 * Asynchronous, because in the desktop app the keychain belongs to the main process (the one that
 * may show the OS's unlock prompt) and the core host asks it over the port (core-host/); the CLI
 * and the station read it in their own process through the same interface.
 */
export interface CredentialStore {
  get(account: string): Promise<Record<string, string> | null>;
  set(account: string, secret: Record<string, string>): Promise<void>;
  delete(account: string): Promise<void>;
}

const defaultKeychainService = 'racedesk';

/** The OS keychain itself. Its calls run off the event loop, so a slow or prompting keychain blocks no window. */
export function createKeychain(service = defaultKeychainService): CredentialStore {
  const entry = (account: string) => new AsyncEntry(service, account);
  return {
    async get(account) {
      const value = await guard(() => entry(account).getPassword());
      if (value === null || value === undefined) return null;
      try {
        return JSON.parse(value) as Record<string, string>;
      } catch {
        // JSON.parse quotes the text it could not read, and that text is the secret.
        throw new RaceDeskError('keychain_unavailable', `The OS keychain entry "${account}" of the service "${service}" is not RaceDesk's: remove it in the keychain's own app, then add the account again.`);
      }
    },
    async set(account, secret) {
      await guard(() => entry(account).setPassword(JSON.stringify(secret)));
    },
    async delete(account) {
      await guard(() => entry(account).deleteCredential());
    },
  };
}

export function accountKey(provider: string, label: string): string {
  return `${provider}:${label}`;
}

async function guard<T>(operation: () => Promise<T>): Promise<T | null> {
  try {
    return await operation();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/no matching entry|NoEntry/i.test(message)) return null;
    throw new RaceDeskError(
      'keychain_unavailable',
      'No OS keychain available: RaceDesk keeps credentials only in the system keychain ' +
        '(on Linux the Secret Service, e.g. gnome-keyring). Start or unlock it and try again. ' +
        // The keychain's own words tell a locked keychain from a missing or stuck one; they never hold the secret.
        `(The keychain said: ${message})`,
    );
  }
}
