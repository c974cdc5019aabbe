import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/core.ts';
import { coreWithAccount } from '../helpers/provider-session.ts';
import { serveTestCore, type TestStation } from '../helpers/station.ts';
import { buildRenderer, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { makeRunSignUpDataset } from '../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../src-main/simulators/runsignup.ts';
import { runSync } from '../../src-main/core/sync/run-sync.ts';

/*
 * "Publish to RunSignUp" on the Results screen in Debian's Chromium, against a station whose
 * RunSignUp account points at a simulator that stays up: at phone size the first publish makes
 * the result set and names the walk-up RunSignUp refused; at laptop size the second replaces it.
 */
const key = { api_key: 'rsu-timer-key', api_secret: 'rsu-timer-secret' };
let built: Awaited<ReturnType<typeof buildRenderer>>;
let sim: RunSignUpSimulator;
let station: TestStation;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  built = await buildRenderer();
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 3, races: 1, eventsPerRace: 1, participantsPerEvent: 8 }), credentials: [key] });
  const core = await coreWithAccount({ provider: 'runsignup', label: 'Timer', baseUrl: sim.url, secret: key, unlimitedRate: true });
  await runSync(core, { provider: 'runsignup', account: 'Timer' });
  const eventId = String(sim.dataset.races[0].events[0].event_id);
  const bibs = sim.dataset.participants.filter((p) => p.bib_num !== null).slice(0, 3).map((p) => p.bib_num);
  await call(core, 'pickup.registerWalkUp', { provider: 'runsignup', eventId, firstName: 'Walt', lastName: 'Upton', gender: 'M', dateOfBirth: '1980-02-02', bib: '8888' });
  const file = ['Bib,Chip Time,Status', `${bibs[0]},20:00,`, `${bibs[1]},21:00,`, '8888,21:30,', `${bibs[2]},,DNF`].join('\n');
  await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: file });
  station = await serveTestCore(core, built.dir);
}, 300_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  await sim?.close();
  built?.remove();
});

describe('Publish to RunSignUp on the Results screen', () => {
  const sizes = [
    { name: 'phone', width: 390, height: 844, expected: /^3 results published to RunSignUp result set \d+ \(new result set\)\./ },
    { name: 'laptop', width: 1366, height: 768, expected: /^3 results published to RunSignUp result set \d+, replacing its earlier rows\./ },
  ] as const;

  for (const size of sizes) {
    it(`publishes and shows what RunSignUp refused at ${size.width}x${size.height}`, async () => {
      const browser = await launchBrowser({ viewport: { width: size.width, height: size.height } });
      browsers.push(browser);
      const { page } = browser;
      await page.goto(`${station.url}#/results`);
      await page.getByTestId('results-page').waitFor();
      await page.getByTestId('results-publish').click();
      const result = page.getByTestId('results-publish-result');
      await result.waitFor();
      expect(await result.locator('p').first().textContent()).toMatch(size.expected);
      expect(await page.getByTestId('results-publish-rejected').textContent()).toBe('RunSignUp refused bib 8888 (Walt Upton): First name is required (error 104).');
      await screenshot(page, `results-publish-${size.name}`);
      expect(sim.resultSets()).toHaveLength(1);
      expect(sim.resultSets()[0].results.map((row) => row.clock_time || row.chip_time)).toEqual(['0:20:00.000', '0:21:00.000', 'DNF']);
    });
  }
});
