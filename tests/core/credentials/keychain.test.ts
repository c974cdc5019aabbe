import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AsyncEntry } from '@napi-rs/keyring';
import { createKeychain } from '../../../src-main/core/credentials/keychain.ts';

describe('OS keychain (real Secret Service)', () => {
  it('stores, reads back and deletes a secret', async () => {
    const keychain = createKeychain(`racedesk-test-${randomUUID()}`);
    await keychain.set('runsignup:main', { api_key: 'k-123', api_secret: 's-456' });
    expect(await keychain.get('runsignup:main')).toEqual({ api_key: 'k-123', api_secret: 's-456' });
    await keychain.delete('runsignup:main');
    expect(await keychain.get('runsignup:main')).toBeNull();
  });

  it('keeps entries of different services apart', async () => {
    const a = createKeychain(`racedesk-test-${randomUUID()}`);
    const b = createKeychain(`racedesk-test-${randomUUID()}`);
    await a.set('hub', { password: 'one' });
    expect(await b.get('hub')).toBeNull();
    await a.delete('hub');
  });

  it('refuses an entry that is not RaceDesk JSON without quoting it, since its text is a secret', async () => {
    const service = `racedesk-test-${randomUUID()}`;
    await new AsyncEntry(service, 'hub').setPassword('hunter2-not-json');
    try {
      const error = await createKeychain(service).get('hub').then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toContain(`The OS keychain entry "hub" of the service "${service}" is not RaceDesk's`);
      expect(error?.message).not.toContain('hunter2');
    } finally {
      await new AsyncEntry(service, 'hub').deleteCredential();
    }
  });
});
