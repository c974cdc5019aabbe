import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startStationServer, type RunningStation } from '../../src-main/station/server.ts';
import { buildRenderer, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { call, createTestCore, type TestCore } from '../helpers/core.ts';
import { seedEvent } from '../core/results/seed.ts';
import { seedChronoTrackDay, chronoTrackDayFile, ctEventId } from '../core/results/races-seed.ts';
import { createPairingCode } from '../../src-main/core/station-access/devices.ts';

/*
 * The results page in a real Chromium against a real station server and core: import with a
 * per-row problem report, accept, tabs, search, splits, export and the provider comparison; and
 * a ChronoTrack day with two distances, shown and exported race by race.
 */
let renderer: { dir: string; remove(): void };
let core: TestCore;
let station: RunningStation;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  renderer = await buildRenderer();
  core = createTestCore();
  seedEvent(core.db);
  station = await startStationServer({ core, port: 0, staticDir: renderer.dir });
  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await station?.close();
  core?.cleanup();
  renderer?.remove();
});

const upload = (name: string, content: string) =>
  page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });

describe('results page', () => {
  it('imports a timing file, shows places by tab, finds a runner and exports', async () => {
    // The results screen is for the laptop or an admin device: join as one.
    await page.goto(`${station.origin}/?pair=${createPairingCode(core.db, 'admin').code}#/results`);
    await page.getByTestId('results-page').waitFor();
    await expect.poll(() => page.getByTestId('results-event').inputValue()).toBe('City Run 2026 › City 10K (RunSignUp)');
    await page.getByText('No results for this event yet').waitFor();

    // A file with a bad row: every problem listed; accepting would hold it (tests/e2e/results-held.e2e.test.ts).
    await upload('bad.csv', 'Bib,Chip Time\n101,40:10\n999,41:00\n');
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('import-problem').first().waitFor();
    expect(await dialog.getByTestId('import-problem').allTextContents()).toEqual(['Line 3 (bib 999): bib 999 is not registered in this event']);
    expect(await dialog.getByTestId('import-problems').textContent()).toContain('These rows will be held for you to assign, correct or dismiss');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await upload('finish.csv', 'Bib,Chip Time,Gun Time,5K Split,Status\n101,40:10.4,40:30,20:01,\n102,41:00,41:20,,\n103,41:00,41:05,20:30,\n104,45:00,45:30,,\n105,,,,DNF\n');
    await expect.poll(() => dialog.getByTestId('import-counts').textContent()).toContain('5 rows: 5 new');
    await dialog.getByTestId('import-accept').click();
    await page.getByTestId('results-notice').waitFor();
    expect(await page.getByTestId('results-notice').textContent()).toContain('finish.csv: 5 results written');

    // Overall: the tie shares second place, the DNF has none.
    await page.getByTestId('results-row-104').waitFor();
    const cells = async (bib: string) => (await page.getByTestId(`results-row-${bib}`).locator('td').allTextContents()).map((t) => t.trim());
    expect(await cells('101')).toEqual(['1', '101', 'Ann Smith', 'F', '30-39', '40:10.4', '1', '1', '1', '']);
    expect(await cells('103')).toEqual(['2', '103', 'Cid Lee', 'M', '30-39', '41:00.0', '2', '1', '1', '']);
    expect((await cells('105'))[0]).toBe('');
    expect((await cells('105'))[9]).toBe('DNF');

    await page.getByTestId('results-tab-gender').click();
    await expect.poll(() => page.getByTestId('results-group').allTextContents()).toEqual(['Women', 'Men']);
    await page.getByTestId('results-tab-age').click();
    await expect.poll(() => page.getByTestId('results-group').allTextContents()).toEqual(['Women 20-29', 'Women 30-39', 'Women 40-49', 'Men 20-29', 'Men 30-39']);

    await page.getByTestId('results-tab-overall').click();
    await page.getByTestId('results-search').fill('nunez');
    await expect.poll(() => page.locator('[data-testid^="results-row-"]').count()).toBe(1);
    await page.getByTestId('results-search').fill('101');
    await expect.poll(() => page.locator('[data-testid^="results-row-"]').count()).toBe(1);
    await page.getByTestId('results-row-101').click();
    expect(await page.getByTestId('results-splits-101').textContent()).toContain('5K 20:01');
    await page.getByTestId('results-search').fill('');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('results-export').click()]);
    expect(download.suggestedFilename()).toBe('City-Run-2026-City-10K-results.csv');
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.match(/^\uFEFF*/)?.[0].length, 'byte-order marks at the start of the file').toBe(1);
    expect(csv.slice(1).split('\r\n')[1]).toBe('1,101,Ann,Smith,F,34,30-39,40:10.4,40:10.4,40:30.0,1,1,FIN,20:01.0');

    // Switching to gun time re-places: 103 (41:05) now ahead of 102 (41:20).
    await page.getByTestId('results-place-by').getByText('Gun time').click();
    await expect.poll(async () => (await cells('102'))[0]).toBe('3');

    await page.getByTestId('results-tab-compare').click();
    await page.getByTestId('compare-row-101').waitFor();
    expect(await page.getByTestId('compare-row-101').textContent()).toContain('0:40:10.400 #1');
  });

  it('shows a two-distance ChronoTrack day race by race, filters one race and applies the award rules', async () => {
    seedChronoTrackDay(core.db);
    await call(core, 'results.accept', { event: ctEventId, fileName: 'day.csv', content: chronoTrackDayFile });
    await page.reload();
    await page.getByTestId('results-page').waitFor();
    await page.getByTestId('results-tab-overall').click();
    await page.getByTestId('results-event').click();
    await page.getByRole('option', { name: /^Harbor Run Day \(ChronoTrack/ }).click();

    // All races: one heading per race, the walk-up without a race last and unplaced.
    await page.getByTestId('results-race').waitFor();
    await expect.poll(() => page.getByTestId('results-group').allTextContents()).toEqual(['5K', 'Half Marathon', 'Race not known (not placed)']);
    const cells = async (bib: string) => (await page.getByTestId(`results-row-${bib}`).locator('td').allTextContents()).map((t) => t.trim());
    expect((await cells('2')).slice(0, 3)).toEqual(['1', '2', 'Ben Bell']);
    expect((await cells('21')).slice(0, 3)).toEqual(['1', '21', 'Dan Dorn']);
    expect((await cells('90'))[0]).toBe('');
    await screenshot(page, 'results-race-day');

    // One race: only its runners, no race headings.
    await page.getByTestId('results-race').click();
    await page.getByRole('option', { name: 'Half Marathon (3 results)' }).click();
    await expect.poll(() => page.locator('[data-testid^="results-row-"]').count()).toBe(3);
    expect(await page.getByTestId('results-group').count()).toBe(0);

    // The overall winner of each gender leaves the age groups: Dan and Eva lose their age-group firsts.
    expect((await cells('21'))[8]).toBe('1');
    await page.getByTestId('results-exclude-overall').fill('1');
    await page.getByTestId('results-exclude-overall').blur();
    await expect.poll(async () => (await cells('21'))[8]).toBe('');
    expect((await cells('22'))[8]).toBe('');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('results-export').click()]);
    expect(download.suggestedFilename()).toBe('Harbor-Run-Day-Half-Marathon-results.csv');
    const text = readFileSync((await download.path()) as string, 'utf8');
    expect(text.match(/^\uFEFF*/)?.[0].length, 'byte-order marks at the start of the file').toBe(1);
    const csv = text.slice(1).split('\r\n');
    expect(csv[0].startsWith('Race,Place,Bib,')).toBe(true);
    expect(csv[1]).toBe('Half Marathon,1,21,Dan,Dorn,M,40,40-49,1:30:00,1:30:00,1:30:20,1,,FIN');
    expect(browser.problems).toEqual([]);
  });
});
