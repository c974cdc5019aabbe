import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createTestCore, call, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { databasePath } from '../../../src-main/core/core.ts';

const secret = { api_key: 'key-7f3a9c', api_secret: 'secret-Zq81xLw0' };
let core: TestCore;
let sim: RunSignUpSimulator;

beforeEach(async () => {
  core = createTestCore();
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ races: 1, eventsPerRace: 2, participantsPerEvent: 5 }), credentials: [secret] });
});
afterEach(async () => {
  core.cleanup();
  await sim.close();
});

describe('provider accounts', () => {
  it('checks the secret against the provider, keeps it only in the keychain, and syncs with it', async () => {
    await call(core, 'partner.set', { id: 4, name: 'Acme Timing' });
    await call(core, 'accounts.add', { provider: 'runsignup', label: 'main', baseUrl: sim.url, secret });
    expect(await core.credentials.get('runsignup:main')).toEqual(secret);
    expect(await call(core, 'accounts.list', {})).toEqual([{ provider: 'runsignup', label: 'main', baseUrl: sim.url }]);

    const summary = await call(core, 'sync.run', { provider: 'runsignup', account: 'main' });
    expect(summary.status).toBe('success');
    const stored = core.db.prepare('SELECT DISTINCT credentials_used, timing_partner_id FROM runsignup_participants').all();
    expect(stored).toEqual([{ credentials_used: 'main', timing_partner_id: 4 }]);

    core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [databasePath(core.dataDir), core.settings.path]) {
      const bytes = readFileSync(file).toString('latin1');
      expect(bytes.includes(secret.api_key), file).toBe(false);
      expect(bytes.includes(secret.api_secret), file).toBe(false);
    }
  });

  it('refuses a wrong secret with a clear message and stores nothing', async () => {
    const result = await dispatch(core, 'accounts.add', { provider: 'runsignup', label: 'main', baseUrl: sim.url, secret: { api_key: 'nope', api_secret: 'nope' } });
    expect(result).toEqual({ ok: false, error: { code: 'auth_failed', message: expect.stringMatching(/RunSignUp refused the API key/) } });
    expect(await core.credentials.get('runsignup:main')).toBeNull();
    expect(core.settings.read().accounts).toEqual([]);
  });

  it('names the missing fields of an incomplete secret', async () => {
    const result = await dispatch(core, 'accounts.add', { provider: 'runsignup', label: 'main', baseUrl: sim.url, secret: { api_key: 'x' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: "The RunSignUp secret needs one of: api_key + api_secret; rsu_api_key + rsu_api_secret; oauth_client_id + refresh_token (problem with: api_secret)." } });
  });

  it('says what to give when a rule across fields is broken (a Copernico preset without its name), and that optional fields are not needed', async () => {
    const half = await dispatch(core, 'accounts.add', { provider: 'copernico', label: 'main', secret: { api_key: 'k', preset_login: 'crono@example.es' } });
    expect(half).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('The Copernico secret is not complete: Give both preset_login') } });
    const none = await dispatch(core, 'accounts.add', { provider: 'copernico', label: 'main', secret: {} });
    expect(none).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'The Copernico secret needs the fields api_key (problem with: api_key).' } });
  });

  it('removes an account and its keychain entry', async () => {
    await call(core, 'accounts.add', { provider: 'runsignup', label: 'main', baseUrl: sim.url, secret });
    await call(core, 'accounts.remove', { provider: 'runsignup', label: 'main' });
    expect(await core.credentials.get('runsignup:main')).toBeNull();
    expect(await call(core, 'accounts.list', {})).toEqual([]);
  });

  it('rejects input that does not fit the contract', async () => {
    const result = await dispatch(core, 'accounts.add', { provider: 'strava', label: '', secret: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/provider/) } });
  });
});
