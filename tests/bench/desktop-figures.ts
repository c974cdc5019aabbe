/*
 * The desktop app's figures for `npm run bench` (section "desktop"): how long the core host's
 * event loop stalls during a sync and a push (a window waiting for an answer meanwhile), and how
 * fast `racedesk --help` starts against a bare Node start.
 */
import { benchHostStalls } from './host-stalls.ts';
import { benchCliStart } from './cli-start.ts';
import type { Figure } from './stats.ts';

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const count = (n: number) => n.toLocaleString('en-US');

export async function desktopFigures(figures: Figure[], quick: boolean): Promise<void> {
  const participants = quick ? 5_000 : 50_000;
  log(`syncing and pushing ${count(participants)} participants through the core host`);
  const stalls = await benchHostStalls(participants);
  for (const [phase, result] of [['sync from the RunSignUp simulator', stalls.sync], ['push to PostgreSQL', stalls.push]] as const) {
    figures.push({
      figure: `desktop: longest core-host event-loop stall during a ${phase} (ms)`,
      data: `${count(stalls.participants)} participants, ${count(result.calls)} window calls`,
      value: result.hostMaxMs.toFixed(0),
      baseline: `main process (windows) longest stall ${result.mainMaxMs.toFixed(0)}; ${result.hostOver100} calls waited > 100 ms`,
      ratio: '—',
      target: '<= 100 ms',
      met: result.hostMaxMs <= 100,
    });
    figures.push({
      figure: `desktop: CPU time of the core host's longest loop turn during a ${phase} (ms)`,
      data: `${count(stalls.participants)} participants`,
      value: result.hostTurnCpuMaxMs.toFixed(0),
      baseline: `its wall-clock stall ${result.hostMaxMs.toFixed(0)} (the rest is waiting for a core)`,
      ratio: '—',
      target: '<= 100 ms',
      met: result.hostTurnCpuMaxMs <= 100,
    });
  }
  log('timing racedesk --help against node -e 0');
  const start = benchCliStart(quick ? 5 : 15);
  const ratio = start.helpMs / start.bareNodeMs;
  figures.push({
    figure: 'CLI: racedesk --help start (ms)',
    data: `median of ${start.runs}`,
    value: start.helpMs.toFixed(0),
    baseline: `node -e 0 ${start.bareNodeMs.toFixed(0)}`,
    ratio: `${ratio.toFixed(2)}x`,
    target: '<= 5x',
    met: ratio <= 5,
  });
}
