import { Entry } from '@napi-rs/keyring';
import { RaceDeskError } from '../errors.ts';

/**
 * Secrets (provider API keys, the hub password) live only in the OS keychain: the Secret Service
 * on Linux, Keychain on macOS, Credential Manager on Windows. One entry per account, holding the
 * account's secret fields as JSON. There is no fallback to a file: without a keychain we refuse.
 */
export interface CredentialStore {
  get(account: string): Record<string, string> | null;
  set(account: string, secret: Record<string, string>): void;
  delete(account: string): void;
}

export const defaultKeychainService = 'racedesk';

export function createKeychain(service = defaultKeychainService): CredentialStore {
  const entry = (account: string) => new Entry(service, account);
  return {
    get(account) {
      const value = guard(() => entry(account).getPassword());
      if (value === null || value === undefined) return null;
      return JSON.parse(value) as Record<string, string>;
    },
    set(account, secret) {
      guard(() => entry(account).setPassword(JSON.stringify(secret)));
    },
    delete(account) {
      guard(() => entry(account).deleteCredential());
    },
  };
}

export function accountKey(provider: string, label: string): string {
  return `${provider}:${label}`;
}

function guard<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/no matching entry|NoEntry/i.test(message)) return null as T;
    throw new RaceDeskError(
      'keychain_unavailable',
      'No OS keychain available: RaceDesk keeps credentials only in the system keychain ' +
        '(on Linux the Secret Service, e.g. gnome-keyring). Start or unlock it and try again.',
    );
  }
}
