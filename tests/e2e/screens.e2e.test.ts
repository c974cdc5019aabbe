import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { startDemoStation } from '../helpers/demo-station.ts';
import { callStation, type TestStation } from '../helpers/station.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser } from '../helpers/browser.ts';

/*
 * Every screen in Debian's Chromium against a station holding the full demo data of all five
 * providers, at phone, tablet and laptop sizes: no white page and no console error; the menu
 * folds behind a burger on a phone; the search box and the picked runner's Check in button are
 * on screen without scrolling; a screen that fails shows what failed and a way back.
 */
const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'small-laptop', width: 1024, height: 768 },
  { name: 'laptop', width: 1366, height: 768 },
] as const;

/** Each screen's address and an element that shows it rendered with data. */
const screens: Array<{ name: string; hash: string; ready(page: Page): Locator }> = [
  { name: 'pickup', hash: '#/pickup', ready: (page) => page.getByTestId('counter-total') },
  { name: 'walkup', hash: '#/walkup', ready: (page) => page.getByTestId('walkup-form') },
  { name: 'browse-participants', hash: '#/browse/participants', ready: (page) => page.getByTestId('table-participants').locator('[role="row"][data-index="0"]') },
  { name: 'browse-events', hash: '#/browse/events', ready: (page) => page.getByTestId('table-events').locator('[role="row"][data-index="0"]') },
  { name: 'browse-results', hash: '#/browse/results', ready: (page) => page.getByTestId('table-results').locator('[role="row"][data-index="0"]') },
  { name: 'results', hash: '#/results', ready: (page) => page.getByTestId('results-page') },
  { name: 'sync', hash: '#/sync', ready: (page) => page.getByTestId('sync-history') },
  { name: 'settings', hash: '#/settings', ready: (page) => page.getByTestId('accounts-table') },
];

let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
const browsers: TestBrowser[] = [];

const api = <T>(name: string, input: unknown) => callStation<T>(station, name, input);

async function open(viewport: { width: number; height: number }): Promise<TestBrowser> {
  const browser = await launchBrowser({ viewport });
  browsers.push(browser);
  await browser.page.goto(station.url);
  await browser.page.evaluate(() => localStorage.setItem('racedesk.stationName', 'Screens test'));
  await browser.page.getByTestId('pickup-search').waitFor();
  return browser;
}

/** Some of the element is inside the viewport (the folded menu is moved off it, not removed). */
async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  return box !== null && box.x + box.width > 0 && box.x < viewport.width && box.y + box.height > 0 && box.y < viewport.height;
}

/** The element lies wholly inside the viewport: seen without scrolling. */
async function expectOnScreen(page: Page, locator: Locator, what: string): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${what} is rendered`).not.toBeNull();
  expect(box!.y, `${what} top`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${what} left`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what} bottom within ${viewport.height}px`).toBeLessThanOrEqual(viewport.height);
  expect(box!.x + box!.width, `${what} right within ${viewport.width}px`).toBeLessThanOrEqual(viewport.width);
  // Nothing (such as the menu) lies over its middle.
  const covered = await locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    const top = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    return top !== null && !element.contains(top) && !top.contains(element);
  });
  expect(covered, `${what} is not covered`).toBe(false);
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  built = await buildRenderer();
  station = await startDemoStation({ staticDir: built.dir });
}, 240_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  built?.remove();
});

describe('every screen at every size, with the demo data of all five providers', () => {
  for (const viewport of viewports) {
    it(`renders each screen at ${viewport.width}x${viewport.height} with its menu, and no console error`, async () => {
      const { page, problems } = await open(viewport);
      for (const screen of screens) {
        await page.goto(`${station.url}${screen.hash}`);
        await screen.ready(page).first().waitFor({ timeout: 15_000 });
        expect(await page.getByTestId('screen-error').count(), screen.name).toBe(0);
        await expect.poll(() => page.getByText('RaceDesk', { exact: true }).first().isVisible(), { message: `${screen.name}: header` }).toBe(true);
        if (viewport.width < 768) await expect.poll(() => page.getByTestId('nav-burger').isVisible()).toBe(true);
        else await expect.poll(() => page.locator('[data-nav="pickup"]').isVisible()).toBe(true);
        await screenshot(page, `screen-${screen.name}-${viewport.name}`);
        expect(problems, `${screen.name} at ${viewport.name}`).toEqual([]);
      }
    });
  }

  it('folds the menu behind a burger on a phone: closed at first, opens, and closes on a move', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    const nav = page.getByTestId('nav');
    await expectOnScreen(page, page.getByTestId('pickup-search'), 'search box');
    expect(await inViewport(page, nav)).toBe(false);

    await page.getByTestId('nav-burger').click();
    // Open once it has slid in all the way.
    await expect.poll(async () => (await nav.boundingBox())?.x).toBe(0);
    await expectOnScreen(page, nav.locator('[data-nav="browse"]'), 'Browse in the open menu');
    await screenshot(page, 'screen-menu-open-phone');

    await page.locator('[data-nav="browse"]').click();
    await page.getByTestId('table-participants').waitFor();
    await expect.poll(() => inViewport(page, nav)).toBe(false);
    expect(page.url()).toContain('#/browse');
    await expectOnScreen(page, page.getByTestId('browse-search-participants'), 'Browse search box');

    // The burger closes it again without moving.
    await page.getByTestId('nav-burger').click();
    await expect.poll(() => inViewport(page, nav)).toBe(true);
    await page.getByTestId('nav-burger').click();
    await expect.poll(() => inViewport(page, nav)).toBe(false);
    expect(problems).toEqual([]);
  });

  for (const viewport of viewports) {
    it(`shows every walk-up gender choice whole and picks it, and the address fields wide enough to read, at ${viewport.width}x${viewport.height}`, async () => {
      const { page, problems } = await open(viewport);
      await page.goto(`${station.url}#/walkup`);
      const gender = page.getByTestId('walkup-gender');
      await gender.waitFor();
      // Beside the date of birth on a phone, "Non-binary" lay past the control's clipped edge.
      for (const choice of ['Female', 'Male', 'Non-binary']) {
        const label = gender.locator('label').filter({ hasText: new RegExp(`^${choice}$`) });
        await expectOnScreen(page, label, `gender choice ${choice}`);
        const control = (await gender.boundingBox())!;
        const box = (await label.boundingBox())!;
        expect(box.x + box.width, `${choice} within its control`).toBeLessThanOrEqual(control.x + control.width + 1);
        await label.click();
        await expect.poll(() => gender.locator('input:checked').getAttribute('value')).toBe(choice === 'Female' ? 'F' : choice === 'Male' ? 'M' : 'X');
      }
      // Three to a row on a phone, each field was 100 px wide and "State / region" took two lines.
      for (const field of ['City', 'State / region', 'Team']) {
        expect((await page.getByLabel(field, { exact: true }).boundingBox())!.width, `${field} width`).toBeGreaterThanOrEqual(150);
      }
      expect(problems).toEqual([]);
    });
  }

  it('gives the timing partner’s company name a field wide enough to read on a phone', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    await page.goto(`${station.url}#/settings`);
    const name = page.getByLabel('Company name');
    await expect.poll(() => name.inputValue()).not.toBe('');
    // Beside the partner id and Save it was 100 px: "Demo Timi".
    const box = (await name.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(200);
    await expectOnScreen(page, name, 'company name');
    expect(problems).toEqual([]);
  });

  for (const viewport of viewports) {
    it(`keeps the search box and the runner's Check in on screen at ${viewport.width}x${viewport.height}`, async () => {
      const all = await api<{ rows: Array<{ bib_number: string | null; checked_in: boolean; source_provider: string; first_name: string | null; last_name: string | null }> }>(
        'browse.participants',
        { limit: 1000, filter: { provider: 'raceroster', checkedIn: false } },
      );
      // A Race Roster runner: their card carries the most (registration answers, emergency contact).
      const runner = all.rows.find((r) => r.bib_number && r.first_name && r.last_name)!;
      const name = `${runner.first_name} ${runner.last_name}`;
      const { page, problems } = await open(viewport);
      await expectOnScreen(page, page.getByTestId('pickup-search'), 'search box');
      await page.getByTestId('pickup-search').fill(runner.bib_number!);
      await page.getByTestId('result-name').filter({ hasText: name }).first().click();
      await expect.poll(() => page.getByTestId('card-name').textContent()).toBe(name);
      await expectOnScreen(page, page.getByTestId('pickup-search'), 'search box with a runner open');
      await expectOnScreen(page, page.getByTestId('checkin-button'), 'Check in');
      await screenshot(page, `screen-pickup-card-${viewport.name}`);

      // The per-event counters fold out on demand and fold back.
      await page.getByTestId('counters-toggle').click();
      await expect.poll(() => page.getByTestId('counters-events').isVisible()).toBe(true);
      await expectOnScreen(page, page.getByTestId('pickup-search'), 'search box below the per-event counters');
      await screenshot(page, `screen-pickup-counters-${viewport.name}`);
      await page.getByTestId('counters-toggle').click();
      await expect.poll(() => page.getByTestId('counters-events').isVisible()).toBe(false);
      expect(problems).toEqual([]);
    });
  }

  it('shows what failed and a way back when a screen cannot render, with the menu still working', async () => {
    const { page } = await open({ width: 1366, height: 768 });
    // A station answering in a shape this screen does not know (as an older or newer station might).
    await page.route('**/api/call/pickup.counters', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value: { events: [{ provider: 'haku' }], total: null } }) }),
    );
    await page.goto(`${station.url}#/sync`);
    await page.getByTestId('sync-history').waitFor();
    await page.locator('[data-nav="pickup"]').click();
    await page.getByTestId('screen-error').waitFor();
    expect(await page.getByTestId('screen-error').textContent()).toContain('The Pickup screen could not be shown');
    expect(await page.getByTestId('screen-error-message').textContent()).not.toBe('');
    await expect.poll(() => page.getByText('RaceDesk', { exact: true }).first().isVisible()).toBe(true);
    await screenshot(page, 'screen-error-boundary-laptop');

    // The menu and the browser's Back still lead to working screens.
    await page.locator('[data-nav="settings"]').click();
    await page.getByTestId('accounts-table').waitFor();
    expect(await page.getByTestId('screen-error').count()).toBe(0);
    await page.goBack();
    await page.getByTestId('screen-error').waitFor();

    // Once the station answers properly again, Try again recovers the screen itself.
    await page.unroute('**/api/call/pickup.counters');
    await page.getByTestId('screen-error-retry').click();
    await page.getByTestId('counter-total').waitFor();
    expect(await page.getByTestId('screen-error').count()).toBe(0);
    await page.goBack();
    await page.getByTestId('sync-history').waitFor();
  });
});
