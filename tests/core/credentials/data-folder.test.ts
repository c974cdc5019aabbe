import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestCore, type TestCore } from '../../helpers/core.ts';
import { createKeychain } from '../../../src-main/core/credentials/keychain.ts';
import { hubConnection, hubKeychainAccount, setHub } from '../../../src-main/core/hub/hub-settings.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';

/* Two data folders on one laptop share the OS keychain (one service), as the app and a demo or a second race do. */
describe('keychain entries per data folder', () => {
  const service = `racedesk-test-${randomUUID()}`;
  const keychain = createKeychain(service);
  const cores: TestCore[] = [];
  const folder = () => {
    const core = createTestCore({ credentials: keychain });
    cores.push(core);
    return core;
  };
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.cleanup();
    await keychain.delete(hubKeychainAccount);
  });

  it('keeps each data folder its own hub password and provider secret', async () => {
    const [raceA, raceB] = [folder(), folder()];
    await setHub(raceA, { url: 'postgres://racedesk_p1_aa@127.0.0.1:5432/hub', password: 'password-of-a' });
    await setHub(raceB, { url: 'postgres://racedesk_p2_bb@127.0.0.1:5432/hub', password: 'password-of-b' });
    expect((await hubConnection(raceA)).password).toBe('password-of-a');
    expect((await hubConnection(raceB)).password).toBe('password-of-b');

    await raceA.credentials.set('runsignup:main', { api_key: 'key-a', api_secret: 'secret-a' });
    await raceB.credentials.set('runsignup:main', { api_key: 'key-b', api_secret: 'secret-b' });
    expect(await raceA.credentials.get('runsignup:main')).toEqual({ api_key: 'key-a', api_secret: 'secret-a' });
    await raceB.credentials.delete('runsignup:main');
    expect(await raceA.credentials.get('runsignup:main')).toEqual({ api_key: 'key-a', api_secret: 'secret-a' });
  });

  it('takes over the entry a version before this one wrote under the account name alone', async () => {
    await keychain.set(hubKeychainAccount, { password: 'from-the-old-version' });
    const race = folder();
    updateSettings(race.settings, (current) => ({ ...current, hub: { url: 'postgres://racedesk_p1_aa@127.0.0.1:5432/hub' } }));
    expect((await hubConnection(race)).password).toBe('from-the-old-version');

    // Copied under the folder's name: it stays when the old entry goes, and a new password replaces only this folder's.
    await keychain.delete(hubKeychainAccount);
    expect((await hubConnection(race)).password).toBe('from-the-old-version');
    const other = folder();
    await setHub(other, { url: 'postgres://racedesk_p2_bb@127.0.0.1:5432/hub', password: 'password-of-other' });
    expect((await hubConnection(race)).password).toBe('from-the-old-version');
  });
});
