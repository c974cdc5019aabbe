import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestCore, type TestCore } from '../../helpers/core.ts';
import { accountKey } from '../../../src-main/core/credentials/keychain.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { demoOAuthClientId, startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { runsignupOAuth } from '../../../src-main/core/providers/runsignup/assumptions.ts';

/*
 * `racedesk account oauth runsignup` in a child process against the RunSignUp simulator, with the
 * real OS keychain (run inside scripts/with-keychain.js): the command prints the page to approve
 * RaceDesk on, this test plays the browser (RequestGrant redirects with a code) and pastes what
 * the person would paste, the whole address or the code alone.
 */
const bin = join(import.meta.dirname, '../../../bin/racedesk.js');

let sim: RunSignUpSimulator;
let core: TestCore;
beforeEach(async () => {
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 4, races: 1, eventsPerRace: 1, participantsPerEvent: 12 }) });
  core = createTestCore();
});
afterEach(async () => {
  core.cleanup();
  await sim.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs racedesk; `answer` gets the authorization page once it is printed and returns the line to type. */
function racedesk(args: string[], answer?: (authorizeUrl: string) => Promise<string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--data-dir', core.dataDir, ...args], { env: { ...process.env, RACEDESK_KEYCHAIN_SERVICE: core.keychainService } });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const page = /^\s+(http\S+RequestGrant\S+)$/m.exec(stderr);
      if (!answer || answered || !page || !stderr.includes('press Enter')) return;
      answered = true;
      answer(page[1]).then((line) => child.stdin.end(`${line}\n`), reject);
    });
    if (!answer) child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** What the browser does once the person approves: RunSignUp redirects to the redirect URI with the code. */
async function approve(authorizeUrl: string): Promise<URL> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

const stored = () => core.credentials.get(accountKey('runsignup', 'main'));
const base = ['account', 'oauth', 'runsignup', '--label', 'main', '--client-id', demoOAuthClientId, '--base-url'];

describe('racedesk account oauth runsignup', () => {
  it('prints the approval page, takes the pasted redirect address, keeps the refresh token in the keychain, and the account syncs', async () => {
    let page: URL | undefined;
    const run = await racedesk(['--json', ...base, sim.url], async (url) => {
      page = new URL(url);
      return (await approve(url)).toString();
    });
    expect(run.stderr).not.toMatch(/^racedesk:/m);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ provider: 'runsignup', label: 'main', baseUrl: sim.url });
    expect(page!.pathname).toBe('/Profile/OAuth2/RequestGrant');
    expect(page!.searchParams.get('redirect_uri')).toBe(runsignupOAuth.defaultRedirectUri);
    expect(await stored()).toMatchObject({ oauth_client_id: demoOAuthClientId });
    expect(sim.refreshTokens.has((await stored())!.refresh_token)).toBe(true);
    expect(run.stdout).not.toContain((await stored())!.refresh_token);

    const sync = await racedesk(['--json', 'sync', 'runsignup', '--account', 'main']);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ status: 'success' });
  });

  it('takes the code alone, with the redirect URI the client was registered with', async () => {
    const redirectUri = 'https://timing.example/racedesk-callback';
    const run = await racedesk([...base, sim.url, '--redirect-uri', redirectUri], async (url) => {
      const back = await approve(url);
      expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
      return back.searchParams.get('code')!;
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Signed in: added RunSignUp account "main"; its refresh token is stored in the OS keychain.\n');
    expect(sim.refreshTokens.has((await stored())!.refresh_token)).toBe(true);
  });

  it('refuses an address from another sign-in, a refusal, and nothing pasted, adding no account', async () => {
    const otherSignIn = await racedesk(base.concat(sim.url), async (url) => {
      const back = await approve(url);
      back.searchParams.set('state', 'from-another-sign-in');
      return back.toString();
    });
    expect(otherSignIn.code).toBe(2);
    expect(otherSignIn.stderr).toContain('belongs to another sign-in');

    const denied = await racedesk(base.concat(sim.url), async () => `${runsignupOAuth.defaultRedirectUri}?error=access_denied&error_description=The+user+denied+the+request`);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('RunSignUp did not sign RaceDesk in (The user denied the request)');

    const nothing = await racedesk(base.concat(sim.url), async () => '');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Nothing was pasted');

    expect(await stored()).toBeNull();
    const list = await racedesk(['--json', 'account', 'list']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('is for runsignup only', async () => {
    const run = await racedesk(['account', 'oauth', 'haku', '--label', 'main', '--client-id', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('racedesk account add haku');
  });
});
