import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createKeychain } from '../../../src-main/core/credentials/keychain.ts';

describe('OS keychain (real Secret Service)', () => {
  it('stores, reads back and deletes a secret', () => {
    const keychain = createKeychain(`racedesk-test-${randomUUID()}`);
    keychain.set('runsignup:main', { api_key: 'k-123', api_secret: 's-456' });
    expect(keychain.get('runsignup:main')).toEqual({ api_key: 'k-123', api_secret: 's-456' });
    keychain.delete('runsignup:main');
    expect(keychain.get('runsignup:main')).toBeNull();
  });

  it('keeps entries of different services apart', () => {
    const a = createKeychain(`racedesk-test-${randomUUID()}`);
    const b = createKeychain(`racedesk-test-${randomUUID()}`);
    a.set('hub', { password: 'one' });
    expect(b.get('hub')).toBeNull();
    a.delete('hub');
  });
});
