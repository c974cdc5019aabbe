import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemoStation } from '../helpers/demo-station.ts';
import { callStation, type TestStation } from '../helpers/station.ts';
import { buildRenderer, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';

/*
 * Held result rows on the Results screen in Debian's Chromium, against a station holding the full
 * demo data, at phone and laptop sizes: an import writes the clean rows and holds the others; the
 * crew corrects one, assigns one found by bib, dismisses one.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
const browsers: TestBrowser[] = [];

interface Runner {
  participant_id: string;
  bib_number: string;
  last_name: string;
}
let event: { source_provider: string; event_id: string };
let runners: Runner[];

beforeAll(async () => {
  built = await buildRenderer();
  station = await startDemoStation({ staticDir: built.dir });
  // The event the Results screen opens on, and runners of it with bibs.
  [event] = await callStation<Array<{ source_provider: string; event_id: string }>>(station, 'results.events', {});
  runners = station.core.db
    .prepare(
      `SELECT participant_id, bib_number, last_name FROM unified_participants
       WHERE source_provider = ? AND event_id = ? AND bib_number GLOB '[0-9]*' ORDER BY participant_id LIMIT 6`,
    )
    .all(event.source_provider, event.event_id) as Runner[];
}, 300_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  built?.remove();
});

async function openResults(viewport: { width: number; height: number }): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = await launchBrowser({ viewport });
  browsers.push(browser);
  await browser.page.goto(`${station.url}#/results`);
  await browser.page.getByTestId('results-page').waitFor();
  return { browser, page: browser.page };
}

const heldCards = (page: Page) => page.locator('[data-testid^="held-row-"]');
const cardOf = (page: Page, text: string) => heldCards(page).filter({ hasText: text });

describe('held result rows on the Results screen', () => {
  const sizes = [
    { name: 'phone', width: 390, height: 844, first: 0 },
    { name: 'laptop', width: 1366, height: 768, first: 3 },
  ] as const;

  for (const size of sizes) {
    it(`imports with held rows and resolves them at ${size.width}x${size.height}`, async () => {
      const [clean, mistyped, assignee] = runners.slice(size.first, size.first + 3);
      const unknownBib = `9${size.first}9${size.first}9`;
      const { browser, page } = await openResults({ width: size.width, height: size.height });
      const file = ['Bib,Chip Time', `${clean.bib_number},31:0${size.first}`, `${unknownBib},32:00`, `${mistyped.bib_number},3x:00`, `,33:0${size.first}`].join('\n');
      await page.locator('input[type=file]').setInputFiles({ name: `finish-${size.name}.csv`, mimeType: 'text/csv', buffer: Buffer.from(file) });
      const dialog = page.getByTestId('import-dialog');
      await expect.poll(() => dialog.getByTestId('import-counts').textContent()).toContain('4 rows: 1 new');
      expect(await dialog.getByTestId('import-problem').count()).toBe(3);
      await dialog.getByTestId('import-accept').click();
      await expect.poll(() => page.getByTestId('results-notice').textContent()).toContain(`finish-${size.name}.csv: 1 results written, 3 held`);

      const panel = page.getByTestId('held-panel');
      await expect.poll(() => heldCards(page).count()).toBe(3);
      expect(await panel.textContent()).toContain('3 held rows to look at');
      expect(await cardOf(page, `Bib ${unknownBib}`).getByTestId('held-reason').textContent()).toBe(`bib ${unknownBib} is not registered in this event`);
      // Resolving works without scrolling sideways: the buttons are within the screen's width.
      const assignBox = await heldCards(page).first().getByTestId('held-assign').boundingBox();
      expect(assignBox!.x + assignBox!.width).toBeLessThanOrEqual(size.width);
      await screenshot(page, `results-held-${size.name}`);

      // Correct the mistyped time.
      await cardOf(page, `Bib ${mistyped.bib_number}`).getByTestId('held-correct').click();
      const correct = page.getByTestId('held-correct-dialog');
      await correct.getByTestId('held-correct-chip').fill('3y:00');
      await correct.getByTestId('held-correct-save').click();
      await expect.poll(() => correct.getByTestId('held-correct-error').textContent()).toContain('still cannot be written');
      await correct.getByTestId('held-correct-chip').fill('34:00');
      await correct.getByTestId('held-correct-save').click();
      await correct.waitFor({ state: 'detached' });
      await expect.poll(() => heldCards(page).count()).toBe(2);

      // Assign the line without a bib to a runner found by bib.
      await cardOf(page, 'No bib').getByTestId('held-assign').click();
      const assign = page.getByTestId('held-assign-dialog');
      await assign.getByTestId('held-assign-search').fill(assignee.bib_number);
      await assign.getByTestId(`held-assign-to-${assignee.participant_id}`).click();
      await assign.waitFor({ state: 'detached' });
      await expect.poll(() => heldCards(page).count()).toBe(1);

      await cardOf(page, `Bib ${unknownBib}`).getByTestId('held-dismiss').click();
      await panel.waitFor({ state: 'detached' });

      const results = await callStation<{ rows: Array<{ participant_id: string; chip_time: string; bib_number: string | null }> }>(station, 'results.list', {
        event: event.event_id, provider: event.source_provider,
      });
      const timeOf = (id: string) => results.rows.find((row) => row.participant_id === id)?.chip_time;
      expect(timeOf(clean.participant_id)).toMatch(new RegExp(`^31:0${size.first}`));
      expect(timeOf(mistyped.participant_id)).toMatch(/^34:00/);
      expect(timeOf(assignee.participant_id)).toMatch(new RegExp(`^33:0${size.first}`));
      expect(results.rows.some((row) => row.bib_number === unknownBib)).toBe(false);
      expect(browser.problems).toEqual([]);
    }, 180_000);
  }
});
