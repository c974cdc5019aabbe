import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { serveTestCore, type TestStation } from '../helpers/station.ts';
import { call, createTestCore } from '../helpers/core.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser } from '../helpers/browser.ts';
import { demoRunSignUpCredential, startRunSignUpSimulator, type RunSignUpSimulator } from '../../src-main/simulators/runsignup.ts';
import { makeRunSignUpDataset } from '../../src-main/datasets/runsignup.ts';

/*
 * The sync page against a slow provider: the RunSignUp simulator answers every request after a
 * delay (faults.delayMs), so the run's 'sync.progress' events reach the browser over SSE while it
 * is still going, and the progress bar must be on screen before the run finishes. The laptop has
 * this one account: the seeded test station's account reads another simulator, whose races carry
 * the same event ids with other runners, which a sync refuses (tests/core/sync/shared-event-id.test.ts).
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
let sim: RunSignUpSimulator;
let browser: TestBrowser;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  built = await buildRenderer();
  const core = createTestCore();
  await call(core, 'partner.set', { id: 1, name: 'Test Timing' });
  station = await serveTestCore(core, built.dir);
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 5, races: 1, eventsPerRace: 2 }) });
  const response = await fetch(`${station.origin}/api/call/accounts.add`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${station.token}` },
    body: JSON.stringify({ provider: 'runsignup', label: 'Slow RunSignUp', baseUrl: sim.url, secret: demoRunSignUpCredential }),
  });
  expect((await response.json()).ok).toBe(true);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sim?.close();
  await station?.close();
  built?.remove();
});

describe('sync page', () => {
  it('shows a progress bar while a slow sync runs, then the finished run in the history', async () => {
    const { page, problems } = browser;
    await page.goto(`${station.url}#/sync`);
    const card = page.getByTestId('account-runsignup-Slow RunSignUp');
    await card.waitFor();
    await page.getByTestId('link-state').filter({ hasText: 'Connected' }).waitFor();
    await screenshot(page, 'sync-idle');

    sim.faults.delayMs = 400;
    await card.getByTestId('sync-button').click();

    const running = page.locator('[data-testid="sync-progress"]:not([data-phase="done"]):not([data-phase="failed"])');
    await running.first().waitFor();
    expect(await running.first().getByRole('progressbar').count()).toBe(1);
    // The bar is there while the Sync call itself is still waiting for the provider.
    expect(await card.getByTestId('sync-button').getAttribute('data-loading')).not.toBeNull();
    await screenshot(page, 'sync-running');

    const finished = page.locator('[data-testid="sync-progress"][data-phase="done"]');
    await finished.waitFor({ timeout: 60_000 });
    sim.faults.delayMs = 0;
    await card.getByTestId('sync-outcome').waitFor();
    expect(await card.getByTestId('sync-outcome').textContent()).toMatch(/^Done: 2 events/);
    // Each event's own 12 runners, as the simulator has them.
    await expect.poll(() => card.locator('tr td:last-child').allTextContents()).toEqual([
      '0 / 12 checked in',
      '0 / 12 checked in',
    ]);
    await expect.poll(async () => (await page.getByTestId('sync-history').textContent()) ?? '').toContain('Slow RunSignUp');
    await screenshot(page, 'sync-done');
    expect(problems).toEqual([]);
  });

  it('says a full re-sync of data that did not change found every record unchanged', async () => {
    const { page, problems } = browser;
    await page.goto(`${station.url}#/sync`);
    const card = page.getByTestId('account-runsignup-Slow RunSignUp');
    await card.getByRole('button', { name: 'Full', exact: true }).click();
    await expect.poll(async () => (await card.getByTestId('sync-outcome').textContent()) ?? '', { timeout: 60_000 }).toMatch(/^Done: 2 events, [\d,]+ records \(all unchanged\)\./);
    // The history's newest rows are this run's: each event's participants, all unchanged.
    await expect.poll(() => page.getByTestId('sync-history-unchanged').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('sync-history-unchanged').first().textContent()).toBe('all unchanged');
    await screenshot(page, 'sync-resync-unchanged');
    expect(problems).toEqual([]);
  });

  it('lists the records a run stored with a NULL field beside the run, with the value as sent', async () => {
    const { page, problems } = browser;
    sim.corruptPage(sim.dataset.races[0].events[0].event_id, 1);
    const response = await fetch(`${station.origin}/api/call/sync.run`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${station.token}` },
      body: JSON.stringify({ provider: 'runsignup', account: 'Slow RunSignUp', full: true }),
    });
    expect((await response.json()).value.status).toBe('partial');
    await page.goto(`${station.url}#/sync`);
    const listed = page.getByTestId('sync-record-problems').first();
    await listed.waitFor();
    expect(await listed.textContent()).toContain('race_fee = "CA$45.00"');
    await screenshot(page, 'sync-record-problems');
    expect(problems).toEqual([]);
  });
});
