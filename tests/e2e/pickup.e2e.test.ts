import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { callStation, startTestStation, type TestStation } from '../helpers/station.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser } from '../helpers/browser.ts';

/*
 * Packet pickup in Debian's Chromium against a real station seeded through the RunSignUp
 * simulator: keyboard search and check-in, undo, bib changes, live counters, a walk-up found by
 * the next search, two devices checking in the same runner, and a request without the token.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
const browsers: TestBrowser[] = [];

interface Runner {
  source_provider: string;
  event_id: string;
  participant_id: string;
  first_name: string | null;
  last_name: string | null;
  bib_number: string | null;
  event_name: string | null;
  checked_in: boolean;
}

const api = <T>(name: string, input: unknown) => callStation<T>(station, name, input);

const fold = (text: string) => text.replace(/ł/g, 'l').replace(/Ł/g, 'L').replace(/[øØ]/g, 'o').replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');

async function openBrowser(stationName: string): Promise<TestBrowser> {
  const browser = await launchBrowser({ deviceName: stationName });
  browsers.push(browser);
  await browser.page.goto(station.url);
  await browser.page.getByTestId('pickup-search').waitFor();
  return browser;
}

async function counterText(page: Page): Promise<string> {
  return (await page.getByTestId('counter-total').getByTestId('counter-value').textContent()) ?? '';
}

/** Types a query, then walks the result list with the arrow keys to the runner and picks them with Enter. */
async function pickWithKeyboard(page: Page, query: string, runner: Runner): Promise<void> {
  const search = page.getByTestId('pickup-search');
  await search.focus();
  await search.fill('');
  await page.keyboard.type(query);
  const wanted = `${runner.first_name} ${runner.last_name}`;
  await page.getByTestId('result-name').filter({ hasText: wanted }).first().waitFor();
  const names = await page.getByTestId('result-name').allTextContents();
  const index = names.indexOf(wanted);
  expect(index).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  // A bib several listed runners hold is not picked by Enter alone: the volunteer moves onto the one they mean.
  if (index === 0 && names.length > 1) {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
  }
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('card-name').textContent()).toBe(wanted);
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  built = await buildRenderer();
  station = await startTestStation({ seed: 1, staticDir: built.dir });
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  built?.remove();
});

describe('packet pickup in the browser', () => {
  it('finds a runner typed without accents, checks in with Enter, undoes with Ctrl+Z, counters follow', async () => {
    const all = await api<{ rows: Runner[] }>('browse.participants', { limit: 1000 });
    const accented = all.rows.find((r) => r.last_name && r.first_name && /[\u0080-\uffff]/.test(r.last_name) && fold(r.last_name).length >= 4);
    expect(accented, 'the seeded data has a runner with an accented last name').toBeDefined();
    const runner = accented!;
    const { page, problems } = await openBrowser('Table 1');
    await screenshot(page, 'pickup-start');
    const before = await counterText(page);

    await pickWithKeyboard(page, `${fold(runner.first_name!)} ${fold(runner.last_name!).slice(0, 3)}`, runner);
    expect(await page.getByTestId('checkin-state').textContent()).toContain('Not checked in');
    await screenshot(page, 'pickup-card');

    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('checkin-state').textContent()).toContain('Checked in');
    expect(await page.getByTestId('checkin-state').textContent()).toContain('Table 1');
    await expect.poll(() => counterText(page)).not.toBe(before);
    const countOf = (text: string) => Number(text.split('/')[0].replace(/\D/g, ''));
    expect(countOf(await counterText(page))).toBe(countOf(before) + 1);
    await screenshot(page, 'pickup-checked-in');

    // Focus went back to the search box with the query still shown: Ctrl+Z undoes the check-in.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('checkin-state').textContent()).toContain('Not checked in');
    await expect.poll(() => counterText(page)).toBe(before);
    expect(await page.getByTestId('pickup-notice').textContent()).toContain('undone');
    const trail = await api<{ rows: Array<{ kind: string; station_name: string }> }>('pickup.auditTrail', {
      provider: runner.source_provider,
      participantId: runner.participant_id,
    });
    expect(trail.rows.map((r) => r.kind)).toEqual(['undo_check_in', 'check_in']);
    expect(trail.rows.every((r) => r.station_name === 'Table 1')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('warns before giving a bib someone else in the event holds, and changes to a free one', async () => {
    const all = await api<{ rows: Runner[] }>('browse.participants', { limit: 1000 });
    const [runner, other] = all.rows.filter((r, _i, rows) => r.bib_number && rows.some((o) => o !== r && o.event_id === r.event_id && o.bib_number));
    const holder = all.rows.find((r) => r.event_id === runner.event_id && r.participant_id !== runner.participant_id && r.bib_number)!;
    expect(other).toBeDefined();
    const taken = new Set(all.rows.filter((r) => r.event_id === runner.event_id).map((r) => r.bib_number));
    let free = 7000;
    while (taken.has(String(free))) free++;

    const { page } = await openBrowser('Table 2');
    await pickWithKeyboard(page, runner.bib_number!, runner);
    await page.keyboard.press('b');
    const input = page.getByTestId('new-bib-input');
    await input.waitFor();
    await input.fill(holder.bib_number!);
    await page.keyboard.press('Enter');
    const warning = page.getByTestId('bib-taken-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`${holder.first_name} ${holder.last_name}`);
    await screenshot(page, 'pickup-bib-taken');
    expect(await page.getByTestId('card-bib').textContent()).toBe(runner.bib_number);

    await input.fill(String(free));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('card-bib').textContent()).toBe(String(free));
    expect(await page.getByTestId('pickup-notice').textContent()).toContain(`from ${runner.bib_number} to ${free}`);

    // The next search by the new bib finds the runner first.
    await page.keyboard.press('Escape');
    await page.getByTestId('pickup-search').fill(String(free));
    await expect.poll(() => page.getByTestId('result-name').first().textContent()).toBe(`${runner.first_name} ${runner.last_name}`);
  });

  it('registers a walk-up that the next search finds, marked as walk-up', async () => {
    const events = await api<{ rows: Array<{ source_provider: string; event_id: string; event_name: string }> }>('browse.events', { limit: 10 });
    const event = events.rows[0];
    await api('pickup.setBibRange', { provider: event.source_provider, eventId: event.event_id, firstBib: 9000, lastBib: 9099 });

    const { page } = await openBrowser('Table 3');
    await page.getByTestId('pickup-search').focus();
    await page.keyboard.press('Escape');
    await page.locator('body').click();
    await page.keyboard.press('n');
    await page.getByTestId('walkup-form').waitFor();
    await page.getByTestId('walkup-event').click();
    await page.getByRole('option').filter({ hasText: event.event_name }).first().click();
    await expect.poll(() => page.getByTestId('walkup-bib').getAttribute('placeholder')).toBe('9000');
    await page.getByTestId('walkup-first').fill('Ximena');
    await page.getByTestId('walkup-last').fill('Quiñónez');
    await page.getByTestId('walkup-gender').getByText('Female').click();
    await page.getByTestId('walkup-dob').fill('1994-07-21');
    await page.getByTestId('walkup-waiver').check();
    await screenshot(page, 'walkup-form');
    await page.getByTestId('walkup-submit').click();
    const done = page.getByTestId('walkup-done');
    await done.waitFor();
    expect(await done.textContent()).toContain('9000');
    await screenshot(page, 'walkup-done');

    await page.goto(`${station.origin}/#/pickup`);
    await page.getByTestId('pickup-search').fill('ximena quin');
    await expect.poll(() => page.getByTestId('result-name').first().textContent()).toBe('Ximena Quiñónez');
    await page.keyboard.press('Enter');
    await page.getByTestId('walk-up-badge').waitFor();
    expect(await page.getByTestId('card-bib').textContent()).toBe('9000');
    expect(await page.getByTestId('checkin-state').textContent()).toContain('Checked in');
  });

  it('Enter, Enter on a taken bib in Walk-up registers nobody; the separate button does', async () => {
    const events = await api<{ rows: Array<{ source_provider: string; event_id: string; event_name: string }> }>('browse.events', { limit: 10 });
    const event = events.rows[0];
    const holders = await api<{ rows: Runner[] }>('browse.participants', { limit: 1000, filter: { provider: event.source_provider, eventId: event.event_id } });
    const holder = holders.rows.find((r) => r.bib_number)!;
    const walkUps = async () => (await api<{ total: number }>('browse.participants', { limit: 1, filter: { walkUp: true } })).total;
    const before = await walkUps();

    const { page } = await openBrowser('Registration');
    await page.goto(`${station.origin}/#/walkup`);
    await page.getByTestId('walkup-event').click();
    await page.getByRole('option').filter({ hasText: event.event_name }).first().click();
    await page.getByTestId('walkup-first').fill('Olu');
    await page.getByTestId('walkup-last').fill('Adébáyọ̀');
    await page.getByTestId('walkup-gender').getByText('Male', { exact: true }).click();
    await page.getByTestId('walkup-dob').fill('1988-03-09');
    await page.getByTestId('walkup-shirt').fill("Men's L");
    await page.getByTestId('walkup-waiver').check();
    const bib = page.getByTestId('walkup-bib');
    await bib.fill(holder.bib_number!);
    await bib.press('Enter');
    await page.getByTestId('walkup-bib-taken').waitFor();
    await bib.press('Enter');
    await bib.press('Enter');
    await screenshot(page, 'walkup-bib-taken');
    expect(await page.getByTestId('walkup-done').count()).toBe(0);
    expect(await walkUps()).toBe(before);

    await page.getByTestId('walkup-submit-anyway').click();
    await page.getByTestId('walkup-done').waitFor();
    expect(await walkUps()).toBe(before + 1);
    // What to hand over with the packet, on the confirmation and on the runner's card.
    expect(await page.getByTestId('walkup-done-shirt').textContent()).toBe("Shirt size Men's L");
    await page.goto(`${station.origin}/#/pickup`);
    await page.getByTestId('pickup-search').fill('olu adeb');
    await page.getByTestId('result-name').filter({ hasText: 'Olu Adébáyọ̀' }).first().waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('card-field-shirt_size').textContent()).toBe("Shirt sizeMen's L");
    expect(await page.getByTestId('card-field-waiver').textContent()).toBe('WaiverAccepted');
  });

  it('two devices checking in the same runner at once: one succeeds, the other is told who did', async () => {
    const all = await api<{ rows: Runner[] }>('browse.participants', { limit: 1000, filter: { checkedIn: false } });
    const runner = all.rows.find((r) => r.first_name && r.last_name && r.bib_number)!;
    const [a, b] = [await openBrowser('Table A'), await openBrowser('Table B')];
    await pickWithKeyboard(a.page, runner.bib_number!, runner);
    await pickWithKeyboard(b.page, runner.bib_number!, runner);

    await Promise.all([a.page.keyboard.press('Enter'), b.page.keyboard.press('Enter')]);
    const notices = await Promise.all(
      [a, b].map(async ({ page }) => {
        await page.getByTestId('pickup-notice').waitFor();
        return (await page.getByTestId('pickup-notice').textContent()) ?? '';
      }),
    );
    const winners = notices.filter((n) => n.includes('is checked in'));
    const told = notices.filter((n) => n.includes('was already checked in'));
    expect(winners).toHaveLength(1);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/by Table (A|B)/);
    await screenshot(notices[0] === told[0] ? a.page : b.page, 'pickup-already-checked-in');

    const trail = await api<{ rows: Array<{ kind: string }> }>('pickup.auditTrail', { provider: runner.source_provider, participantId: runner.participant_id });
    expect(trail.rows.filter((r) => r.kind === 'check_in')).toHaveLength(1);
  });

  it('refuses a request without the token, and the page asks to pair', async () => {
    const response = await fetch(`${station.origin}/api/call/browse.participants`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

    const browser = await launchBrowser();
    browsers.push(browser);
    await browser.page.goto(`${station.origin}/#/pickup`);
    await browser.page.getByTestId('pairing-screen').waitFor();
    await screenshot(browser.page, 'pairing');
    await browser.page.getByTestId('pairing-code').fill('ABCD-EFGH');
    await browser.page.keyboard.press('Enter');
    expect(await browser.page.getByTestId('pairing-error').textContent()).toContain('“ABCD-EFGH” is not a pairing code of this station');
    await browser.page.getByTestId('pairing-code').fill(station.shortCode);
    await browser.page.keyboard.press('Enter');
    await browser.page.getByTestId('pickup-search').waitFor();
  });
});
