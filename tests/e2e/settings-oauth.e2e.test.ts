import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { call } from '../helpers/core.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser, phoneAndLaptop } from '../helpers/browser.ts';
import { accountKey } from '../../src-main/core/credentials/keychain.ts';
import { makeRunSignUpDataset } from '../../src-main/datasets/runsignup.ts';
import { demoOAuthClientId, startRunSignUpSimulator, type RunSignUpSimulator } from '../../src-main/simulators/runsignup.ts';

/*
 * Settings › Provider accounts › Sign in with RunSignUp, in Chromium against a station and the
 * RunSignUp simulator: the form opens RunSignUp's page in a new window, the simulator approves at
 * once and redirects to the redirect URI (here a page of the station, so the window lands
 * somewhere), and the address that window shows is pasted back. Real keychain: run under
 * scripts/with-keychain.js.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
let sim: RunSignUpSimulator;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  mkdirSync(join(screenshotDir, 'settings-oauth'), { recursive: true });
  built = await buildRenderer();
  station = await startTestStation({ seed: 2, staticDir: built.dir });
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 9, races: 1, eventsPerRace: 1, participantsPerEvent: 10 }) });
}, 300_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  await sim?.close();
  built?.remove();
});

const sizes = phoneAndLaptop;

async function openSettings(size: (typeof sizes)[number]): Promise<Page> {
  const browser = await launchBrowser({ viewport: { width: size.width, height: size.height } });
  browsers.push(browser);
  await browser.page.goto(station.url);
  await browser.page.getByTestId('pickup-search').waitFor();
  await browser.page.evaluate(() => (window.location.hash = '#/settings'));
  await browser.page.getByTestId('runsignup-oauth-form').waitFor();
  return browser.page;
}

async function fillForm(page: Page, label: string, redirectUri: string): Promise<void> {
  const form = page.getByTestId('runsignup-oauth-form');
  await form.getByLabel('Label').fill(label);
  await page.getByTestId('oauth-client-id').fill(demoOAuthClientId);
  await page.getByTestId('oauth-redirect-uri').fill(redirectUri);
  await page.getByTestId('oauth-base-url').fill(sim.url);
}

describe.each(sizes)('Sign in with RunSignUp at $name size ($width x $height)', (size) => {
  it('opens RunSignUp\'s page, takes the pasted address, and lists the account with its refresh token in the keychain', async () => {
    const page = await openSettings(size);
    const label = `OAuth ${size.name}`;
    await fillForm(page, label, `${station.origin}/oauth-done`);

    const [approval] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('oauth-submit').click()]);
    await approval.waitForURL(/\/oauth-done\?code=/);
    const landed = approval.url();
    await approval.close();
    expect(await page.getByTestId('oauth-authorize-link').getAttribute('href')).toContain(`${sim.url.replace(/\/Rest\/?$/, '')}/Profile/OAuth2/RequestGrant?`);

    await page.getByTestId('oauth-pasted').fill(landed);
    await screenshot(page, join('settings-oauth', `${size.name}-paste`));
    await page.getByTestId('oauth-submit').click();
    await expect.poll(() => page.getByTestId('runsignup-oauth-form').getByTestId('settings-feedback').textContent(), { timeout: 15_000 }).toBe(`Signed in: added RunSignUp account “${label}”.`);
    await expect.poll(() => page.getByTestId('accounts-table').textContent()).toContain(label);

    expect(await call(station.core, 'accounts.list', {})).toContainEqual({ provider: 'runsignup', label, baseUrl: sim.url });
    const secret = await station.core.credentials.get(accountKey('runsignup', label));
    expect(secret?.oauth_client_id).toBe(demoOAuthClientId);
    expect(sim.refreshTokens.has(secret!.refresh_token)).toBe(true);
    await screenshot(page, join('settings-oauth', `${size.name}-signed-in`));
  });
});

describe('a pasted address from another sign-in', () => {
  it('is refused in plain words and adds no account', async () => {
    const page = await openSettings(sizes[1]);
    await fillForm(page, 'Never added', `${station.origin}/oauth-done`);
    const [approval] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('oauth-submit').click()]);
    await approval.waitForURL(/\/oauth-done\?code=/);
    const other = new URL(approval.url());
    await approval.close();
    other.searchParams.set('state', 'another-sign-in');
    await page.getByTestId('oauth-pasted').fill(other.toString());
    await page.getByTestId('oauth-submit').click();
    await expect.poll(() => page.getByTestId('runsignup-oauth-form').getByTestId('settings-feedback').textContent(), { timeout: 15_000 }).toContain('belongs to another sign-in');
    expect((await call(station.core, 'accounts.list', {})).map((a: { label: string }) => a.label)).not.toContain('Never added');
  });
});
