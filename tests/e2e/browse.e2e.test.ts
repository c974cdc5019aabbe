import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { requestsPerHour } from '../../src-main/core/providers/request-allowance.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser } from '../helpers/browser.ts';

/*
 * The unified tables, settings, the shortcut list and dark mode in Chromium against a seeded
 * station: sort, filter, search and CSV export go through the browse.* handlers.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
let browser: TestBrowser;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  built = await buildRenderer();
  station = await startTestStation({ staticDir: built.dir });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await station?.close();
  built?.remove();
});

async function api<T>(name: string, input: unknown): Promise<T> {
  const response = await fetch(`${station.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${station.token}` },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value: T };
  expect(result.ok).toBe(true);
  return result.value;
}

const totalOf = async (text: Promise<string | null>) => Number(((await text) ?? '').replace(/\D/g, ''));

describe('browse, settings and help', () => {
  it('sorts, filters, searches and exports the participants table', async () => {
    const { page, problems } = browser;
    await page.goto(`${station.url}#/browse/participants`);
    const table = page.getByTestId('table-participants');
    await table.locator('[role="row"][data-index="0"] [role="cell"]').first().waitFor();
    const total = () => totalOf(page.getByTestId('browse-total-participants').textContent());
    const everyone = await total();
    expect(everyone).toBeGreaterThan(20);
    await screenshot(page, 'browse-participants');

    // Sort by bib, descending: the first row holds the highest bib.
    await table.getByRole('button', { name: 'Bib' }).click();
    await table.getByRole('button', { name: 'Bib ▲' }).click();
    await table.getByRole('button', { name: 'Bib ▼' }).waitFor();
    const firstBib = async () => (await table.locator('[data-index="0"] [role="cell"]').first().textContent()) ?? '';
    await expect.poll(firstBib).not.toBe('');

    // Gender filter narrows the table; search narrows it further, accent-insensitively.
    await page.getByTestId('filter-gender').getByText('F', { exact: true }).click();
    await expect.poll(total).toBeLessThan(everyone);
    const women = await total();
    const female = await api<{ rows: Array<{ last_name: string | null }> }>('browse.participants', { limit: 1000, filter: { gender: 'F' } });
    const accented = female.rows.map((r) => r.last_name ?? '').find((name) => /^[A-Za-z\u00c0-\u00ff]+$/.test(name) && /[\u0080-\uffff]/.test(name));
    expect(accented, 'a woman with an accented last name in the seed').toBeDefined();
    const typed = accented!.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().slice(0, 3);
    const expected = await api<{ total: number }>('browse.participants', { limit: 1, filter: { gender: 'F', search: typed } });
    await page.getByTestId('browse-search-participants').fill(typed);
    await expect.poll(total).toBe(expected.total);
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(women);

    const download = page.waitForEvent('download');
    await page.getByTestId('export-participants').click();
    const file = await download;
    const csv = readFileSync((await file.path())!, 'utf8');
    // Exactly one byte-order mark (a second one would make Excel show it as the first header's junk), then headers a person reads.
    expect(csv.match(/^\ufeff*/)?.[0].length, 'byte-order marks at the start of the file').toBe(1);
    const lines = csv.slice(1).trim().split(/\r\n/);
    expect(lines[0].startsWith('Provider,')).toBe(true);
    expect(lines.length - 1).toBe(await total());
    expect(lines[0]).toContain('Last name');
    expect(lines[0]).not.toContain('last_name');
    await screenshot(page, 'browse-participants-filtered');

    await page.getByTestId('browse-tab-events').click();
    await page.getByTestId('table-events').locator('[data-index="0"]').waitFor();
    await screenshot(page, 'browse-events');
    await page.getByTestId('browse-tab-results').click();
    await page.getByTestId('empty-state').or(page.getByTestId('table-results')).first().waitFor();
    await screenshot(page, 'browse-results');
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('shows settings with the station QR code and short code, the shortcut list, and dark mode', async () => {
    const { page, problems } = browser;
    await page.goto(`${station.origin}/#/settings`);
    await page.getByTestId('station-short-code').waitFor();
    expect(await page.getByTestId('station-short-code').textContent()).toBe(station.shortCode);
    expect(await page.getByTestId('accounts-table').textContent()).toContain('Test RunSignUp');
    // The secret is never sent back to the screen.
    expect(await page.locator('body').textContent()).not.toContain('demo-rsu-secret');
    await screenshot(page, 'settings');

    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('?');
    await page.getByRole('dialog').getByText('Keyboard shortcuts').waitFor();
    await screenshot(page, 'help');
    await page.keyboard.press('Escape');

    await page.getByTestId('color-scheme-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await page.goto(`${station.origin}/#/pickup`);
    await page.getByTestId('pickup-search').fill('a');
    await page.getByTestId('result-name').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('participant-card').waitFor();
    await screenshot(page, 'pickup-dark');
    await page.goto(`${station.origin}/#/browse/participants`);
    await page.getByTestId('table-participants').locator('[data-index="0"]').waitFor();
    await screenshot(page, 'browse-dark');
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('changes a provider\'s request allowance from Settings', async () => {
    const { page, problems } = browser;
    await page.goto(`${station.origin}/#/settings`);
    const row = page.getByTestId('allowance-chronotrack');
    const input = row.getByLabel('ChronoTrack requests per hour');
    await expect.poll(() => input.inputValue()).toBe('3,600');
    await input.fill('7200');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('Saved: 7,200 an hour from the next sync on.').waitFor();
    expect(requestsPerHour(station.core.db, 'chronotrack')).toBe(7200);
    await page.getByTestId('allowance-section').scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-request-allowance');

    // Refused by the handler, shown in the row; the stored allowance stays.
    await input.fill('100000001');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText(/must be a whole number from 1 to 100,000,000/).waitFor();
    await page.reload();
    await expect.poll(() => page.getByTestId('allowance-chronotrack').getByLabel('ChronoTrack requests per hour').inputValue()).toBe('7,200');
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
