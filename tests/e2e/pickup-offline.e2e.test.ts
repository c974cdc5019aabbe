import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { callStation, startTestStation, type TestStation } from '../helpers/station.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { call } from '../helpers/core.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser } from '../helpers/browser.ts';
import { migrateHub } from '../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../src-main/core/hub/partners.ts';
import { loginUrl, query } from '../core/hub/hub-test-kit.ts';

/*
 * A phone joined to the station keeps working when the station goes away: the station is stopped
 * mid-test, the phone looks two runners up in its own copy and checks them in (queued in its
 * IndexedDB), meanwhile the laptop checks one of them in itself; the station comes back on the
 * same address, the phone sends its queue, reports the conflict in plain words, and the hub
 * (real PostgreSQL) ends with exactly one check-in for each runner.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
let server: TestPostgres;
let adminUrl: string;
let browser: TestBrowser;

interface Runner {
  source_provider: 'runsignup';
  event_id: string;
  participant_id: string;
  first_name: string | null;
  last_name: string | null;
  bib_number: string | null;
  checked_in: boolean;
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  built = await buildRenderer();
  station = await startTestStation({ seed: 3, staticDir: built.dir });
  server = await startTestPostgres();
  adminUrl = await server.createDatabase();
  await migrateHub({ url: adminUrl });
  const partner = await addPartner({ url: adminUrl }, 'Test Timing');
  await call(station.core, 'hub.set', { url: loginUrl(adminUrl, partner.role, ''), password: partner.password });
  browser = await launchBrowser({ viewport: { width: 390, height: 844 }, deviceName: 'Tablet 3' });
});

afterAll(async () => {
  await browser?.close();
  await station?.close();
  await server?.stop();
  built?.remove();
});

async function openRunner(page: Page, query: string, runner: Runner): Promise<void> {
  const search = page.getByTestId('pickup-search');
  await search.fill(query);
  const name = `${runner.first_name} ${runner.last_name}`;
  await page.getByTestId('result-name').filter({ hasText: name }).first().click();
  await expect.poll(() => page.getByTestId('card-name').textContent()).toBe(name);
}

describe('a joined phone when the station goes away', () => {
  it('looks runners up and checks two in from its copy; after the restart the hub has exactly one check-in each', async () => {
    const all = await callStation<{ rows: Runner[] }>(station, 'browse.participants', { limit: 1000 });
    const candidates = all.rows.filter((row) => !row.checked_in && row.first_name && row.last_name && row.bib_number && /^[A-Za-z]{4,}$/.test(row.last_name));
    const [alone, contested] = candidates.filter((row) => all.rows.filter((other) => other.last_name === row.last_name).length === 1);
    expect(contested, `${all.rows.length} runners, ${candidates.length} candidates`).toBeDefined();

    const { page, problems } = browser;
    await page.goto(station.url);
    await page.getByTestId('pickup-search').waitFor();
    await expect.poll(() => page.getByTestId('device-copy').textContent()).toBe(`${all.rows.length.toLocaleString('en-US')} runners on this device`);

    await station.stop();
    await page.locator('[data-testid="device-link"][data-link="unreachable"]').waitFor();
    expect(await page.getByTestId('device-link').textContent()).toContain('Station unreachable — retrying…');

    // Looked up by a name typed in lower case, and by bib, from the copy.
    await openRunner(page, alone.last_name!.toLowerCase(), alone);
    await page.getByTestId('checkin-button').click();
    await expect.poll(() => page.getByTestId('pickup-notice').textContent()).toContain('the check-in is queued and sent when it is back');
    await openRunner(page, contested.bib_number!, contested);
    await page.getByTestId('checkin-button').click();
    await expect.poll(() => page.getByTestId('device-queued').textContent()).toBe('2 changes queued');
    await page.getByTestId('checkin-state').filter({ hasText: 'Tablet 3' }).waitFor();
    expect(await page.getByTestId('link-state').textContent()).toBe('Offline · 2 queued');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'pickup-offline-phone');

    // While the phone is cut off, the laptop's own table checks the second runner in.
    const laptop = await call(station.core, 'pickup.checkIn', { provider: contested.source_provider, participantId: contested.participant_id, stationName: 'Table 2' });

    await station.restart();
    await page.locator('[data-testid="device-link"][data-link="online"]').waitFor({ timeout: 45_000 });
    const reports = page.getByTestId('replay-report');
    await expect.poll(() => reports.count()).toBe(2);
    const time = await page.evaluate((at) => new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }), laptop.at);
    expect(await reports.allTextContents()).toEqual([
      `${contested.first_name} ${contested.last_name} was already checked in by Table 2 at ${time}. This device's check-in changed nothing.`,
      `${alone.first_name} ${alone.last_name}: check-in sent to the station.`,
    ]);
    // The event stream reconnects by itself, maybe a moment after the calls got through.
    await expect.poll(() => page.getByTestId('link-state').textContent(), { timeout: 30_000 }).toBe('Connected');
    // What the phone said while cut off ("queued") is gone once the station took it.
    expect(await page.getByTestId('pickup-notice').count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'pickup-offline-replayed-phone');

    await call(station.core, 'hub.push', {});
    const hubCheckIns = await query(
      adminUrl,
      `SELECT participant_id, station_name, count(*)::int AS n FROM participant_changes WHERE kind = 'check_in' GROUP BY participant_id, station_name ORDER BY participant_id`,
    );
    expect(hubCheckIns).toEqual(
      [
        { participant_id: alone.participant_id, station_name: 'Tablet 3', n: 1 },
        { participant_id: contested.participant_id, station_name: 'Table 2', n: 1 },
      ].sort((a, b) => (a.participant_id < b.participant_id ? -1 : 1)),
    );
    // A page that could not reach its station logs the refused connections, and one refused event-stream
    // ticket (the stopped server issued it; the page then asks the new one for a fresh ticket); nothing else went wrong.
    const unexpected = problems.filter((problem) => !problem.includes('net::ERR_CONNECTION_REFUSED'));
    expect(unexpected.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
    expect(unexpected.length).toBeLessThanOrEqual(1);
  });
});
