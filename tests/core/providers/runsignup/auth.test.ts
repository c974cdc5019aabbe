import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../../helpers/core.ts';
import { dispatch } from '../../../../src-main/core/api/dispatch.ts';
import { accountKey } from '../../../../src-main/core/credentials/keychain.ts';
import { setRequestsPerHour } from '../../../../src-main/core/providers/request-allowance.ts';
import { pkceChallenge } from '../../../../src-main/core/providers/runsignup/auth.ts';
import { makeRunSignUpDataset } from '../../../../src-main/datasets/runsignup.ts';
import { demoOAuthClientId, startRunSignUpSimulator, type RunSignUpSimulator } from '../../../../src-main/simulators/runsignup.ts';
import { runSync } from '../../../../src-main/core/sync/run-sync.ts';

/*
 * RunSignUp's three sign-in forms through the API, the real keychain (run inside
 * scripts/with-keychain.js) and the simulator: partner key, "v2" key with the X-RSU-API-SECRET
 * header, and OAuth 2.0 (authorization code with PKCE; the refresh token in the keychain).
 */
const key = { api_key: 'rsu-timer-key', api_secret: 'rsu-timer-secret' };

describe('RunSignUp sign-in', () => {
  let sim: RunSignUpSimulator;
  let core: TestCore;
  beforeEach(async () => {
    sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 3, races: 1, eventsPerRace: 1, participantsPerEvent: 30 }), credentials: [key] });
    core = createTestCore();
    setRequestsPerHour(core.db, 'runsignup', 1_000_000);
    await call(core, 'partner.set', { id: 7, name: 'Maple Timing Co.' });
  });
  afterEach(async () => {
    core.cleanup();
    await sim.close();
  });

  it('syncs with a v2 key: rsu_api_key in the query, the secret only in the X-RSU-API-SECRET header', async () => {
    await call(core, 'accounts.add', { provider: 'runsignup', label: 'v2', baseUrl: sim.url, secret: { rsu_api_key: key.api_key, rsu_api_secret: key.api_secret } });
    const summary = await runSync(core, { provider: 'runsignup', account: 'v2' });
    expect(summary.status).toBe('success');
    expect(core.db.prepare('SELECT count(*) FROM runsignup_participants').pluck().get()).toBe(30);
    expect(sim.requests.every((r) => r.query.get('rsu_api_key') === key.api_key && !r.query.has('api_secret') && ![...r.query.values()].includes(key.api_secret))).toBe(true);

    const wrong = await dispatch(core, 'accounts.add', { provider: 'runsignup', label: 'bad', baseUrl: sim.url, secret: { rsu_api_key: key.api_key, rsu_api_secret: 'nope' } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    if (!wrong.ok) expect(wrong.error.message).toContain('v2 API key and secret');
  });

  it('signs in with OAuth (PKCE), keeps the refresh token in the keychain, and stores each rotated one', async () => {
    const redirectUri = 'http://127.0.0.1:53682/callback';
    const begun = await call(core, 'accounts.oauthBegin', { provider: 'runsignup', clientId: demoOAuthClientId, redirectUri, baseUrl: sim.url });
    const page = new URL(begun.authorizeUrl);
    expect(page.pathname).toBe('/Profile/OAuth2/RequestGrant');
    expect(Object.fromEntries(page.searchParams)).toMatchObject({
      client_id: demoOAuthClientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: pkceChallenge(begun.codeVerifier),
      state: begun.state,
    });
    // What the browser does once the person approves: RunSignUp redirects with the code.
    const approved = await fetch(begun.authorizeUrl, { redirect: 'manual' });
    const back = new URL(approved.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(begun.state);
    const code = back.searchParams.get('code')!;

    // A wrong verifier is refused, plainly and without echoing the code.
    const forged = await dispatch(core, 'accounts.oauthComplete', { provider: 'runsignup', label: 'oauth', clientId: demoOAuthClientId, redirectUri, code, codeVerifier: 'x'.repeat(43), baseUrl: sim.url });
    expect(forged).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    if (!forged.ok) expect(forged.error.message).not.toContain(code);

    const again = await fetch(begun.authorizeUrl, { redirect: 'manual' });
    const freshCode = new URL(again.headers.get('location')!).searchParams.get('code')!;
    await call(core, 'accounts.oauthComplete', { provider: 'runsignup', label: 'oauth', clientId: demoOAuthClientId, redirectUri, code: freshCode, codeVerifier: begun.codeVerifier, baseUrl: sim.url });
    const stored = async () => (await core.credentials.get(accountKey('runsignup', 'oauth')))!;
    // The check on adding already rotated the token once: the keychain holds the one still valid.
    expect(sim.refreshTokens.has((await stored()).refresh_token)).toBe(true);
    expect((await stored()).oauth_client_id).toBe(demoOAuthClientId);

    const before = (await stored()).refresh_token;
    const summary = await runSync(core, { provider: 'runsignup', account: 'oauth' });
    expect(summary.status).toBe('success');
    expect((await stored()).refresh_token).not.toBe(before);
    expect(sim.refreshTokens.has((await stored()).refresh_token)).toBe(true);
    const calls = sim.requests.filter((r) => r.path.includes('/participants'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((r) => !r.query.has('api_key') && !r.query.has('rsu_api_key'))).toBe(true);
  });

  it('gets one fresh access token when RunSignUp revokes the current one (HTTP 401), and goes on', async () => {
    const redirectUri = 'http://127.0.0.1:53682/callback';
    const begun = await call(core, 'accounts.oauthBegin', { provider: 'runsignup', clientId: demoOAuthClientId, redirectUri, baseUrl: sim.url });
    const code = new URL((await fetch(begun.authorizeUrl, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    await call(core, 'accounts.oauthComplete', { provider: 'runsignup', label: 'oauth', clientId: demoOAuthClientId, redirectUri, code, codeVerifier: begun.codeVerifier, baseUrl: sim.url });
    let revoked = false;
    const summary = await runSync(core, {
      provider: 'runsignup',
      account: 'oauth',
      onProgress: (progress) => {
        if (progress.phase === 'participants' && !revoked) {
          revoked = true;
          sim.accessTokens.clear();
        }
      },
    });
    expect(summary.status).toBe('success');
    expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(core.db.prepare('SELECT count(*) FROM runsignup_participants').pluck().get()).toBe(30);
  });
});
