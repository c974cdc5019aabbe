import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildRenderer, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { call, createTestCore } from '../helpers/core.ts';
import { serveTestCore, type TestStation } from '../helpers/station.ts';
import { eventId } from '../core/results/seed.ts';
import { awardsFinishFile, seedAwardsEvent } from '../core/results/print-seed.ts';

/* Printing from the Results and Browse screens in a real Chromium against a real station server and core. */
let renderer: { dir: string; remove(): void };
let station: TestStation;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  renderer = await buildRenderer();
  const core = createTestCore();
  seedAwardsEvent(core.db);
  await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: awardsFinishFile });
  station = await serveTestCore(core, renderer.dir);
  browser = await launchBrowser();
  page = browser.page;
  // The browser's print dialog cannot be driven; counting the calls shows the button asks for it.
  await browser.context.addInitScript(() => {
    const counted = window as unknown as { printCalls: number };
    counted.printCalls = 0;
    window.print = () => {
      counted.printCalls += 1;
    };
  });
});

afterAll(async () => {
  await browser?.close();
  // Also removes the core's data.
  await station?.close();
  renderer?.remove();
});

const sheetGroups = () =>
  page.getByTestId('print-group').evaluateAll((groups) =>
    groups.map((group) => ({
      title: group.querySelector('.rd-print-group-title')?.textContent ?? null,
      names: [...group.querySelectorAll('tbody tr')].map((row) => row.children[2]?.textContent),
    })),
  );

describe('printing', () => {
  it('prints the award lists from Results: the winners on the page, no app shell on paper, a PDF from Chromium', async () => {
    await page.goto(`${station.url}#/results`);
    await page.getByTestId('results-page').waitFor();
    await expect.poll(() => page.getByTestId('results-event').inputValue()).toBe('City Run 2026 › City 10K (RunSignUp, 10 results)');
    await page.getByTestId('results-print').click();
    await page.getByTestId('results-print-awards').click();
    const sheet = page.getByTestId('print-sheet');
    await sheet.waitFor();
    expect(await sheet.locator('h1').textContent()).toBe('City Run 2026 › City 10K — Awards');
    const groups = await sheetGroups();
    expect(groups.slice(0, 3)).toEqual([
      { title: 'Overall', names: ['Lucía Peña', 'Ann Smith', 'Bob Jones', 'Cid Lee'] },
      { title: 'Female overall', names: ['Lucía Peña', 'Ann Smith', 'Zoë Łukasz'] },
      { title: 'Male overall', names: ['Bob Jones', 'Cid Lee', 'Max Roth'] },
    ]);
    expect(groups.map((g) => g.title)).toContain('Female 30-39');
    expect(await page.title()).toBe('City-Run-2026-City-10K-awards');
    await screenshot(page, 'results-print-awards');

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('nav').isVisible()).toBe(false);
    expect(await page.getByTestId('results-page').isVisible()).toBe(false);
    expect(await page.getByTestId('print-now').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    expect(await sheet.getByText('Lucía Peña').first().isVisible()).toBe(true);
    await screenshot(page, 'results-print-awards-paper');
    const pdf = await page.pdf({ format: 'Letter' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    await page.emulateMedia({ media: 'screen' });

    await page.getByTestId('print-now').click();
    expect(await page.evaluate(() => (window as unknown as { printCalls: number }).printCalls)).toBe(1);
    await page.keyboard.press('Escape');
    await page.getByTestId('print-view').waitFor({ state: 'detached' });
    expect(await page.title()).not.toBe('City-Run-2026-City-10K-awards');
    expect(browser.problems).toEqual([]);
  });

  it('prints the results sheet with non-finishers last', async () => {
    await page.getByTestId('results-print').click();
    await page.getByTestId('results-print-results').click();
    await page.getByTestId('print-sheet').waitFor();
    const [group] = await sheetGroups();
    expect(group.names.at(0)).toBe('Lucía Peña');
    expect(group.names.at(-1)).toBe('Eve Núñez');
    await page.getByTestId('print-close').click();
    await page.getByTestId('print-view').waitFor({ state: 'detached' });
  });

  it('prints the pickup list of a bib range from Browse', async () => {
    await page.goto(`${station.url}#/browse/participants`);
    expect(await page.getByTestId('browse-pickup-list').isDisabled()).toBe(true);
    await page.getByPlaceholder('All events').click();
    await page.getByRole('option', { name: /City 10K/ }).first().click();
    await page.getByTestId('browse-pickup-list').click();
    await page.getByTestId('pickup-list-from').fill('104');
    await page.getByTestId('pickup-list-to').fill('107');
    await page.getByTestId('pickup-list-open').click();
    const sheet = page.getByTestId('print-sheet');
    await sheet.waitFor();
    expect(await sheet.locator('h1').textContent()).toBe('City Run 2026 › City 10K — Bibs 104–107 — Packet pickup');
    const lastNames = await sheet.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.children[1]?.textContent));
    expect(lastNames).toEqual(['Park', 'Núñez', 'Moss', 'Peña']);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('nav').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(browser.problems).toEqual([]);
  });
});
