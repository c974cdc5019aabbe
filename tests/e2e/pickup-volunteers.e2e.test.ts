import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoStation } from '../helpers/demo-station.ts';
import type { TestStation } from '../helpers/station.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser } from '../helpers/browser.ts';

/*
 * The pickup table in volunteers' hands (issue 12), in Debian's Chromium against a station holding
 * the full demo data of all five providers, at phone and laptop size, by keyboard: undo acts on the
 * open card's runner only and asks before undoing another station's check-in; Enter, Enter never
 * hands out a taken bib (Change bib and Walk-up); a runner without a bib is asked for one; "?"
 * opens the shortcut list; the card shows the shirt size labelled; the highlight stays on the open
 * card after a bib change; a device joining by link is asked for its name, which signs its check-ins.
 * Screenshots go to test-artifacts/screenshots (and RACEDESK_SCREENS_DIR when set).
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
  email: string | null;
  checked_in: boolean;
}

/** A call to the station's API as a device named `stationName` (another table of the venue). */
const deviceTokens = new Map<string, Promise<string>>();
async function api<T>(name: string, input: unknown, stationName?: string): Promise<T> {
  // Each named table is a device of its own: the station signs with the name it joined under.
  if (stationName && !deviceTokens.has(stationName)) deviceTokens.set(stationName, station.joinDevice(stationName, 'admin'));
  const token = stationName ? await deviceTokens.get(stationName)! : station.token;
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const response = await fetch(`${station.origin}/api/call/${name}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const result = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${name}: ${result.error?.message}`);
  return result.value;
}

/** The station shares two cores with other test runs: a screen may take a few seconds to follow. */
const settle = { timeout: 15_000 };

/** Types into the bib dialog once its field has the focus, as a volunteer sees it (the dialog focuses it after opening). */
async function typeNewBib(page: Page, bib: string): Promise<void> {
  await page.getByTestId('new-bib-input').waitFor();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), settle).toBe('new-bib-input');
  await page.keyboard.type(bib);
}

const sizes = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'laptop', viewport: { width: 1366, height: 768 } },
  { name: 'tablet', viewport: { width: 768, height: 1024 } },
  { name: 'small laptop', viewport: { width: 1024, height: 768 } },
] as const;

async function shot(page: Page, name: string): Promise<void> {
  const path = await screenshot(page, name);
  const extra = process.env.RACEDESK_SCREENS_DIR;
  if (extra) {
    mkdirSync(extra, { recursive: true });
    copyFileSync(path, join(extra, basename(path)));
  }
}

async function openStation(viewport: { width: number; height: number }, deviceName: string): Promise<Page> {
  const browser = await launchBrowser({ viewport, deviceName });
  browsers.push(browser);
  await browser.page.goto(station.url);
  await browser.page.getByTestId('pickup-search').waitFor();
  return browser.page;
}

/** Types a query into the search box, walks to the runner with the arrow keys, Enter picks them. */
async function pick(page: Page, query: string, runner: Runner): Promise<void> {
  const search = page.getByTestId('pickup-search');
  await search.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.type(query);
  const wanted = `${runner.first_name} ${runner.last_name}`;
  await page.getByTestId('result-name').filter({ hasText: wanted }).first().waitFor();
  const names = await page.getByTestId('result-name').allTextContents();
  const index = names.indexOf(wanted);
  expect(index, `${wanted} is in the results for "${query}"`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  // A bib several listed runners hold is not picked by Enter alone: the volunteer moves onto the one they mean.
  if (index === 0 && names.length > 1) {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
  }
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('card-name').textContent(), settle).toBe(wanted);
}

const participants = (filter: Record<string, unknown>) => api<{ rows: Runner[] }>('browse.participants', { limit: 1000, filter }).then((r) => r.rows);
const cardOf = (runner: Runner) => api<{ participant: Runner; checkIn: { stationName: string } | null }>('pickup.participant', { provider: runner.source_provider, participantId: runner.participant_id });
const trailOf = (runner: Runner) => api<{ rows: Array<{ kind: string; station_name: string }> }>('pickup.auditTrail', { provider: runner.source_provider, participantId: runner.participant_id });

/** Runners with a unique name and a bib, not checked in, of one provider: each test takes its own. */
let pool: Runner[] = [];
function takeRunner(provider = 'runsignup'): Runner {
  const index = pool.findIndex((r) => r.source_provider === provider);
  expect(index, `an unused ${provider} runner is left`).toBeGreaterThanOrEqual(0);
  return pool.splice(index, 1)[0];
}

beforeAll(async () => {
  built = await buildRenderer();
  station = await startDemoStation({ staticDir: built.dir });
  const all = (await api<{ rows: Runner[] }>('browse.participants', { limit: 1000, filter: { checkedIn: false, walkUp: false }, sort: { column: 'last_name', direction: 'asc' } })).rows;
  const names = new Map<string, number>();
  for (const r of all) names.set(`${r.first_name} ${r.last_name}`, (names.get(`${r.first_name} ${r.last_name}`) ?? 0) + 1);
  pool = all.filter((r) => r.first_name && r.last_name && r.bib_number && names.get(`${r.first_name} ${r.last_name}`) === 1);
}, 300_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  built?.remove();
});

describe.each(sizes)('the pickup table on a $name', ({ name: size, viewport }) => {
  it("undo on a card acts on that card's runner, and asks before undoing another station's check-in", async () => {
    const y = takeRunner();
    const x = takeRunner();
    const page = await openStation(viewport, 'Table 1');
    await pick(page, y.bib_number!, y);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('checkin-state').textContent(), settle).toContain('Checked in');

    // Another device checks X in; this table opens X's card.
    await api('pickup.checkIn', { provider: x.source_provider, participantId: x.participant_id }, 'Table 9');
    await pick(page, x.bib_number!, x);
    expect(await page.getByTestId('checkin-state').textContent()).toContain('Table 9');

    await page.getByTestId('participant-card').focus();
    await page.keyboard.press('Control+z');
    const question = page.getByTestId('undo-other-station-text');
    await question.waitFor();
    expect(await question.textContent()).toContain(`${x.first_name} ${x.last_name} was checked in by Table 9 at`);
    await shot(page, `pickup-undo-asks-${size}`);
    // Enter on the question keeps the check-in (the focused button is "Keep it").
    await page.keyboard.press('Enter');
    await question.waitFor({ state: 'detached' });
    expect((await cardOf(x)).checkIn?.stationName).toBe('Table 9');
    expect((await cardOf(y)).participant.checked_in).toBe(true);

    // The card's button on a laptop; Ctrl+Z on a phone, where the card sits below the search.
    if (size === 'laptop') await page.getByTestId('undo-button').click();
    else {
      // Back on the card, as the first time: a loaded machine may give the focus back from the
      // closed question after the key would have been pressed.
      await page.getByTestId('participant-card').focus();
      await page.keyboard.press('Control+z');
    }
    await page.getByTestId('undo-other-station-confirm').click();
    await expect.poll(() => page.getByTestId('checkin-state').textContent(), settle).toContain('Not checked in');
    expect((await cardOf(x)).participant.checked_in).toBe(false);
    expect((await cardOf(y)).participant.checked_in).toBe(true);
    expect((await trailOf(y)).rows.map((r) => r.kind)).toEqual(['check_in']);
    expect((await trailOf(x)).rows.map((r) => [r.kind, r.station_name])).toEqual([
      ['undo_check_in', 'Table 1'],
      ['check_in', 'Table 9'],
    ]);
  });

  it('Enter, Enter on a taken bib in Change bib does not give it out; the deliberate button does', async () => {
    const runner = takeRunner();
    const holder = (await participants({ provider: runner.source_provider, eventId: runner.event_id })).find((r) => r.participant_id !== runner.participant_id && r.bib_number)!;
    const page = await openStation(viewport, 'Table 2');
    await pick(page, runner.bib_number!, runner);
    await page.keyboard.press('b');
    await typeNewBib(page, holder.bib_number!);
    await page.keyboard.press('Enter');
    await page.getByTestId('bib-taken-warning').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await shot(page, `pickup-bib-taken-${size}`);
    expect(await page.getByTestId('bib-taken-warning').textContent()).toContain(`${holder.first_name} ${holder.last_name}`);
    expect((await cardOf(runner)).participant.bib_number).toBe(runner.bib_number);
    expect((await trailOf(runner)).rows).toEqual([]);

    await page.getByTestId('use-anyway-button').click();
    await expect.poll(() => page.getByTestId('card-bib').textContent(), settle).toBe(holder.bib_number);
    expect((await trailOf(runner)).rows.map((r) => r.kind)).toEqual(['bib_change']);
  });

  it('"?" in the search box opens the shortcut list instead of typing', async () => {
    const page = await openStation(viewport, 'Table 3');
    const search = page.getByTestId('pickup-search');
    await search.focus();
    await page.keyboard.type('ab');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await search.inputValue()).toBe('ab');
    await shot(page, `pickup-shortcuts-${size}`);
  });

  it('the card shows the shirt size labelled (Race Roster "T-shirt size" question)', async () => {
    const runner = takeRunner('raceroster');
    const page = await openStation(viewport, 'Table 4');
    await pick(page, `${runner.first_name} ${runner.last_name}`, runner);
    const field = page.getByTestId('card-field-shirt_size');
    await field.waitFor();
    expect(await field.textContent()).toMatch(/^Shirt size(S|M|L|XL|Women's M)$/);
    expect(await page.getByTestId('participant-card').textContent()).not.toMatch(/questionId|registrationQuestions|transactionId/);
    await shot(page, `pickup-card-fields-${size}`);
  });
});

describe('the pickup table, once', () => {
  it('a runner without a bib is asked for one before the check-in', async () => {
    const [runner] = await participants({ checkedIn: false }).then((rows) => rows.filter((r) => !r.bib_number && r.first_name && r.last_name && r.email));
    expect(runner, 'the demo data has a runner without a bib').toBeDefined();
    const page = await openStation(sizes[1].viewport, 'Table 5');
    await pick(page, runner.email!, runner);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('bib-dialog-intro').textContent(), settle).toContain('no bib yet');
    expect((await cardOf(runner)).participant.checked_in).toBe(false);
    await shot(page, 'pickup-no-bib-asks');
    await typeNewBib(page, 'Z888');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('checkin-state').textContent(), settle).toContain('Checked in');
    expect((await cardOf(runner)).participant).toMatchObject({ checked_in: true, bib_number: 'Z888' });
  });

  it('the highlight stays on the open card after its bib changes', async () => {
    // A bib held in several events: pick the second runner the bib finds, then give them a new bib.
    const all = await participants({ walkUp: false });
    const counts = new Map<string, number>();
    for (const r of all) if (r.bib_number) counts.set(r.bib_number, (counts.get(r.bib_number) ?? 0) + 1);
    const bib = [...counts].find(([b, n]) => n >= 3 && b.length >= 3)![0];
    const page = await openStation(sizes[1].viewport, 'Table 6');
    await page.getByTestId('pickup-search').focus();
    await page.keyboard.type(bib);
    await page.getByTestId('result-name').nth(2).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('participant-card').waitFor();
    const name = (await page.getByTestId('card-name').textContent())!;
    await page.keyboard.press('b');
    await typeNewBib(page, 'Z901');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('card-bib').textContent(), settle).toBe('Z901');
    // The list re-reads (the runner no longer holds the bib searched for)...
    const now = (await api<{ rows: Runner[] }>('lookup.search', { query: bib, limit: 30 })).rows.map((r) => `${r.first_name} ${r.last_name}`);
    await expect.poll(() => page.getByTestId('result-name').allTextContents(), settle).toEqual(now);
    // ...and no other runner is highlighted in their place.
    const active = await page.locator('.rd-result-row[data-active="true"] [data-testid="result-name"]').allTextContents();
    expect(active.filter((n) => n !== name)).toEqual([]);
    await shot(page, 'pickup-highlight-after-bib-change');
  });

  it('a device joining by link is asked for its name, and its check-ins carry it', async () => {
    const runner = takeRunner();
    const browser = await launchBrowser({ viewport: sizes[0].viewport, deviceName: null });
    browsers.push(browser);
    const { page } = browser;
    await page.goto(station.url);
    await page.getByTestId('device-name-screen').waitFor();
    await shot(page, 'device-name-phone');
    await page.getByTestId('device-name').fill('Ana’s phone');
    await page.keyboard.press('Enter');
    await page.getByTestId('pickup-search').waitFor();
    await pick(page, runner.bib_number!, runner);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('checkin-state').textContent(), settle).toContain('Ana’s phone');
    expect((await trailOf(runner)).rows.map((r) => r.station_name)).toEqual(['Ana’s phone']);
  });
});

// The demo station's own folder for screenshots, beside the other UI tests'.
mkdirSync(screenshotDir, { recursive: true });
