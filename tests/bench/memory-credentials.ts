import type { CredentialStore } from '../../src-main/core/credentials/keychain.ts';

// Benchmarks measure HTTP, parsing, storing and pushing; the keychain is on none of those paths,
// so an in-memory credential store keeps `npm run bench` runnable outside a Secret Service session.
export function memoryCredentials(): CredentialStore {
  const entries = new Map<string, Record<string, string>>();
  return {
    get: async (k) => entries.get(k) ?? null,
    set: async (k, v) => void entries.set(k, v),
    delete: async (k) => void entries.delete(k),
  };
}
