import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { buildRenderer, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { createTestCore } from '../helpers/core.ts';
import { serveTestCore, type TestStation } from '../helpers/station.ts';
import { seedEvent } from '../core/results/seed.ts';

/* The Results screen's start list in a real Chromium against a real station server and core. */
let renderer: { dir: string; remove(): void };
let station: TestStation;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  renderer = await buildRenderer();
  const core = createTestCore();
  seedEvent(core.db);
  station = await serveTestCore(core, renderer.dir);
  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  // Also removes the core's data.
  await station?.close();
  renderer?.remove();
});

const text = async (download: Download) => readFileSync((await download.path()) as string, 'utf8');

/** The next `count` downloads, in the order the page started them. */
function downloads(count: number): Promise<Download[]> {
  return new Promise((resolve) => {
    const seen: Download[] = [];
    const onDownload = (download: Download) => {
      seen.push(download);
      if (seen.length < count) return;
      page.off('download', onDownload);
      resolve(seen);
    };
    page.on('download', onDownload);
  });
}

describe('results page start list', () => {
  it('downloads FinishLynx lynx.ppl and lynx.evt, and the CSV start list', async () => {
    // An admin device: the Results screen is not for check-in tables.
    await page.goto(`${station.url}#/results`);
    await page.getByTestId('results-page').waitFor();
    await expect.poll(() => page.getByTestId('results-event').inputValue()).toBe('City Run 2026 › City 10K (RunSignUp)');

    const lynx = downloads(2);
    await page.getByTestId('results-startlist').click();
    await page.getByTestId('results-startlist-lynx').click();
    const [ppl, evt] = await lynx;
    expect([ppl.suggestedFilename(), evt.suggestedFilename()]).toEqual(['lynx.ppl', 'lynx.evt']);
    const people = (await text(ppl)).split('\r\n');
    expect(people.slice(0, 2)).toEqual(['101,Smith,Ann,', '102,Jones,Bob,']);
    expect(people).toContain('105,Núñez,Eve,');
    expect((await text(evt)).split('\r\n').slice(0, 2)).toEqual(['1,1,1,City Run 2026 › City 10K', ',101,']);
    expect(await page.getByTestId('results-notice').textContent()).toContain('Start list of 8 competitors: lynx.ppl and lynx.evt.');

    const csv = downloads(1);
    await page.getByTestId('results-startlist').click();
    await page.getByTestId('results-startlist-csv').click();
    const [list] = await csv;
    expect(list.suggestedFilename()).toBe('start-list.csv');
    const lines = (await text(list)).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Bib,Chip,First Name,Last Name,Gender,Age,Team,Wave,Race');
    expect(lines).toContain('105,,Eve,Núñez,F,22,,,');
  });
});
