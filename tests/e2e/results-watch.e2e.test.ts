import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStationServer, type RunningStation } from '../../src-main/station/server.ts';
import { closeResultsWatch } from '../../src-main/core/results/results-watch.ts';
import { createPairingCode } from '../../src-main/core/station-access/devices.ts';
import { buildRenderer, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { createTestCore, type TestCore } from '../helpers/core.ts';
import { seedEvent } from '../core/results/seed.ts';

/*
 * The Results screen's watched folder in Debian's Chromium against a real station and core: the
 * switch turned on for a real folder, FinishLynx's .lif written into it, and the results, the
 * held row and the live status line appear without anyone touching the screen.
 */
let renderer: { dir: string; remove(): void };
let core: TestCore;
let station: RunningStation;
let browser: TestBrowser;
let folder: string;

beforeAll(async () => {
  renderer = await buildRenderer();
  core = createTestCore();
  seedEvent(core.db);
  station = await startStationServer({ core, port: 0, staticDir: renderer.dir });
  browser = await launchBrowser({ viewport: { width: 1366, height: 768 } });
  folder = mkdtempSync(join(tmpdir(), 'racedesk-lynx-'));
});

afterAll(async () => {
  await browser?.close();
  if (core) await closeResultsWatch(core);
  await station?.close();
  core?.cleanup();
  renderer?.remove();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('watched results folder on the Results screen', () => {
  it('turns the switch on, imports a .lif written into the folder and shows it live, then turns it off', async () => {
    const { page } = browser;
    await page.goto(`${station.origin}/?pair=${createPairingCode(core.db, 'admin').code}#/results`);
    await page.getByTestId('results-page').waitFor();
    await page.getByText('No results for this event yet').waitFor();
    const watch = page.getByTestId('results-watch');
    const status = watch.getByTestId('results-watch-status');

    await watch.getByTestId('results-watch-folder').fill(folder);
    await watch.getByRole('switch', { name: 'Import new files automatically' }).click();
    await expect.poll(() => status.textContent()).toBe(`Watching ${folder} for City Run 2026 › City 10K — no file imported yet`);
    expect(core.settings.read().resultsWatch).toEqual({ event: '5001', provider: 'runsignup', folder });

    // FinishLynx saves the heat: two registered finishers and a bib nobody has.
    writeFileSync(join(folder, 'heat1.lif'), ['1,1,1,City 10K,,,,', '1,101,,Smith,Ann,City RC,40:30', '2,102,,Jones,Bob,,41:20', '3,999,,Walk,Up,,43:00', ''].join('\n'));
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^Watching ${folder} for .* — last import \\d\\d:\\d\\d:\\d\\d, 2 written, 1 held$`));
    await page.getByTestId('results-row-101').waitFor();
    expect(await page.getByTestId('results-row-101').textContent()).toContain('Smith');
    expect(await page.getByTestId('results-row-102').textContent()).toContain('Jones');
    expect(await page.getByTestId('held-panel').textContent()).toContain('1 held row to look at');
    await screenshot(page, 'results-watch-laptop');

    await watch.getByRole('switch', { name: 'Import new files automatically' }).click();
    await status.waitFor({ state: 'detached' });
    // The field is enabled a render after the status goes (CI on a loaded machine read it in between).
    await expect.poll(() => watch.getByTestId('results-watch-folder').isEnabled()).toBe(true);
    await expect.poll(() => core.settings.read().resultsWatch).toBeNull();
    expect(browser.problems).toEqual([]);
  });
});
