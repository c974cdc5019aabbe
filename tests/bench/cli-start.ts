import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { median } from './stats.ts';

export interface CliStartFigures {
  runs: number;
  helpMs: number;
  bareNodeMs: number;
}

/** `racedesk --help` (bin/racedesk.js, the compiled CLI) against `node -e 0`, alternating, median of each. */
export function benchCliStart(runs: number): CliStartFigures {
  if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` first');
  const time = (args: string[]) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const help: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(time(['-e', '0']));
    help.push(time(['bin/racedesk.js', '--help']));
  }
  return { runs, helpMs: median(help), bareNodeMs: median(bare) };
}
