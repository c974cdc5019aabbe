import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { coreHostEntry } from '../helpers/core-host.ts';
import type { PhaseStalls } from './host-stall-worker.ts';

export interface HostStallFigures {
  participants: number;
  sync: PhaseStalls;
  push: PhaseStalls;
}

/** Runs tests/bench/host-stall-worker.ts inside a private Secret Service session (the host needs a keychain). */
export async function benchHostStalls(participants: number): Promise<HostStallFigures> {
  if (!existsSync(coreHostEntry)) throw new Error(`${coreHostEntry} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, ['scripts/with-keychain.js', process.execPath, '--import', 'tsx', 'tests/bench/host-stall-worker.ts', String(participants)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`host-stall-worker exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as HostStallFigures;
}
