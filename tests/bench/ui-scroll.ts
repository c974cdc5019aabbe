import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/core/core.ts';
import { createConfSettings } from '../../src-main/core/settings/conf-settings.ts';
import { startStationServer } from '../../src-main/station/server.ts';
import { buildRenderer, launchBrowser } from '../helpers/browser.ts';
import { fillStore } from './synthetic.ts';
import { memoryCredentials } from './memory-credentials.ts';
import { percentile } from './stats.ts';

const frameRecorder = `(async () => {
  const element = document.querySelector('[data-testid="table-participants"]');
  const frames = [];
  const steps = 600;
  const stride = (element.scrollHeight - element.clientHeight) / steps;
  let last = performance.now();
  await new Promise((resolve) => {
    let step = 0;
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (step++ >= steps) return resolve();
      element.scrollTop = Math.round(step * stride);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return frames.slice(1);
})()`;

export interface ScrollFigures {
  rows: number;
  frames: number;
  longestFrameMs: number;
  medianFrameMs: number;
  framesOver50: number;
}

/**
 * Scrolls the unified participants table from top to bottom in Chromium, one step per animation
 * frame, and records every frame's duration (the gap between consecutive requestAnimationFrame
 * callbacks). Rows stream in from a real station over HTTP while it scrolls.
 */
export async function benchTableScroll(participants: number): Promise<ScrollFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-ui-'));
  const built = await buildRenderer();
  const core = createCore({ dataDir: dir, settings: createConfSettings(dir), credentials: memoryCredentials() });
  fillStore(core.db, { participants, runsignupEvents: 8, chronotrackEvents: 4 });
  const station = await startStationServer({ core, staticDir: built.dir });
  const browser = await launchBrowser({ viewport: { width: 1366, height: 860 } });
  try {
    const { page } = browser;
    await page.goto(`${station.url}#/browse/participants`);
    const table = page.getByTestId('table-participants');
    await table.locator('[role="row"][data-index="0"] [role="cell"]').first().waitFor({ timeout: 60_000 });
    // Passed as source text: tsx's name-keeping helpers do not exist inside the page.
    const durations = (await page.evaluate(frameRecorder)) as number[];
    return { rows: participants, frames: durations.length, longestFrameMs: Math.max(...durations), medianFrameMs: percentile(durations, 50), framesOver50: durations.filter((d) => d > 50).length };
  } finally {
    await browser.close();
    await station.close();
    core.close();
    built.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}
