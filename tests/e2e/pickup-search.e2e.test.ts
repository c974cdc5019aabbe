import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoStation } from '../helpers/demo-station.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { call } from '../helpers/core.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser, phoneAndLaptop } from '../helpers/browser.ts';

/*
 * Names as runners say them, the cut-off and the event scope, in Debian's Chromium against a
 * station holding the full demo data of all five providers, at phone and laptop size.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
const browsers: TestBrowser[] = [];
const sizes = phoneAndLaptop;

/** A bib held in several events, the events' runners, and one of those events. */
interface SharedBib {
  bib: string;
  runners: Array<{ provider: string; event_id: string; participant_id: string; first_name: string; last_name: string }>;
}

let sharedBib: SharedBib;
let multiWord: { query: string; name: string };
const anaLucia = 'Ana Lucía Núñez';

beforeAll(async () => {
  mkdirSync(join(screenshotDir, 'i12search'), { recursive: true });
  built = await buildRenderer();
  station = await startDemoStation({ staticDir: built.dir });
  const db = station.core.db;
  const bib = db
    .prepare(`SELECT bib FROM participant_search WHERE bib IS NOT NULL GROUP BY bib HAVING count(DISTINCT provider || ':' || event_id) >= 3 ORDER BY CAST(bib AS INTEGER) LIMIT 1`)
    .get() as { bib: string };
  sharedBib = {
    bib: bib.bib,
    runners: db
      .prepare('SELECT source_provider AS provider, event_id, participant_id, first_name, last_name FROM unified_participants WHERE bib_number = ? ORDER BY source_provider, event_id')
      .all(bib.bib) as SharedBib['runners'],
  };
  // A runner with a two-part last name, asked for by its parts without accents.
  const runner = db.prepare(`SELECT first_name, last_name FROM unified_participants WHERE last_name = 'García Márquez' LIMIT 1`).get() as { first_name: string; last_name: string };
  multiWord = { query: 'garcia marquez', name: `${runner.first_name} ${runner.last_name}` };
}, 300_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  built?.remove();
});

async function open(size: (typeof sizes)[number]): Promise<Page> {
  const browser = await launchBrowser({ viewport: { width: size.width, height: size.height } });
  browsers.push(browser);
  await browser.page.goto(station.url);
  await browser.page.evaluate(() => localStorage.setItem('racedesk.stationName', 'Table 2'));
  await browser.page.getByTestId('pickup-search').waitFor({ state: 'attached' });
  return browser.page;
}

async function search(page: Page, query: string): Promise<void> {
  const box = page.getByTestId('pickup-search');
  await box.focus();
  await box.fill('');
  await page.keyboard.type(query);
}

const shot = (page: Page, name: string) => screenshot(page, join('i12search', name));
const checkedIn = async () => (await call(station.core, 'pickup.counters', {})).total.checkedIn;

describe.each(sizes)('pickup search at $name size ($width x $height)', (size) => {
  it('finds "Ana Lucía Núñez" typed as shown, and the parts of a compound last name', async () => {
    const page = await open(size);
    await search(page, anaLucia);
    // Only runners of that name: several people in the demo races are called Ana Lucía Núñez.
    await expect.poll(async () => [...new Set(await page.getByTestId('result-name').allTextContents())], { timeout: 10_000 }).toEqual([anaLucia]);
    await shot(page, `${size.name}-multi-word`);
    await search(page, multiWord.query);
    await expect.poll(() => page.getByTestId('result-name').allTextContents(), { timeout: 10_000 }).toContain(multiWord.name);
  });

  it('says "30 of N — type more" when the list is cut', async () => {
    const page = await open(size);
    const expected = await call(station.core, 'lookup.search', { query: 'nunez', limit: 30 });
    expect(expected.rows).toHaveLength(30);
    await search(page, 'nunez');
    await expect.poll(() => page.getByTestId('pickup-cut-off').textContent(), { timeout: 10_000 }).toBe(`30 of ${expected.total} — type more`);
    await shot(page, `${size.name}-cut-off`);
  });

  it('Enter, Enter on a bib several runners hold checks nobody in and asks to choose', async () => {
    const page = await open(size);
    const before = await checkedIn();
    await search(page, sharedBib.bib);
    await expect.poll(() => page.getByTestId('result-name').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(sharedBib.runners.length);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('pickup-notice').textContent()).toContain(`Bib ${sharedBib.bib} is held by ${sharedBib.runners.length} runners`);
    await expect(page.getByTestId('participant-card').count()).resolves.toBe(0);
    expect(await checkedIn()).toBe(before);
    await shot(page, `${size.name}-ambiguous-bib`);
  });

  it('a station scoped to one event finds only that event\'s runner for a shared bib', async () => {
    const [, scoped] = sharedBib.runners;
    await call(station.core, 'lookup.setStationScope', { scope: [{ provider: scoped.provider as 'runsignup', eventId: scoped.event_id }] });
    try {
      const page = await open(size);
      await search(page, sharedBib.bib);
      await expect.poll(() => page.getByTestId('result-name').allTextContents(), { timeout: 10_000 }).toEqual([`${scoped.first_name} ${scoped.last_name}`]);
      // The counters load on their own: they may follow the results by a moment on a loaded machine.
      const tiles = () => page.locator('[data-testid^="counter-"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid')));
      await expect.poll(tiles).toContain(`counter-${scoped.provider}-${scoped.event_id}`);
      await expect.poll(async () => (await tiles()).filter((t) => t !== 'counter-total' && t !== 'counter-value' && t !== `counter-${scoped.provider}-${scoped.event_id}`)).toEqual([]);
      await shot(page, `${size.name}-scoped-bib`);
    } finally {
      await call(station.core, 'lookup.setStationScope', { scope: [] });
    }
  });
});

describe('a joined device picks its own scope', () => {
  it('keeps it across reloads: the shared bib then finds only its event\'s runner', async () => {
    const [first] = sharedBib.runners;
    const page = await open(sizes[1]);
    const events = await call(station.core, 'pickup.counters', { scope: [{ provider: first.provider as 'runsignup', eventId: first.event_id }] });
    const label = events.events[0].eventName ?? first.event_id;
    await page.getByTestId('scope-picker').click();
    await page.keyboard.type(label);
    await page.getByRole('option').filter({ hasText: label }).first().click();
    await page.keyboard.press('Escape');
    await page.reload();
    await search(page, sharedBib.bib);
    await expect.poll(() => page.getByTestId('result-name').allTextContents(), { timeout: 10_000 }).toEqual([`${first.first_name} ${first.last_name}`]);
    await shot(page, 'laptop-device-scope');
  });
});

describe('walk-up at a scoped table', () => {
  let small: TestStation;
  beforeAll(async () => {
    small = await startTestStation({ seed: 1, staticDir: built.dir });
  });
  afterAll(() => small?.close());

  it('preselects the event of the station\'s scope', async () => {
    const events = (await call(small.core, 'pickup.counters', {})).events;
    expect(events.length).toBeGreaterThan(1);
    const scoped = events[events.length - 1];
    await call(small.core, 'lookup.setStationScope', { scope: [{ provider: scoped.provider as 'runsignup', eventId: scoped.eventId }] });
    const browser = await launchBrowser({ viewport: { width: 1366, height: 768 } });
    browsers.push(browser);
    await browser.page.goto(small.url);
    await browser.page.getByTestId('pickup-search').waitFor({ state: 'attached' });
    await browser.page.evaluate(() => (window.location.hash = '#/walkup'));
    await expect.poll(() => browser.page.getByTestId('walkup-event').inputValue(), { timeout: 10_000 }).toContain(scoped.eventName ?? scoped.eventId);
    await shot(browser.page, 'laptop-walk-up-preselected');
  });
});
