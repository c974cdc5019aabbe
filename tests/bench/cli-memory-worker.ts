/*
 * Runs the built `racedesk` command (out/main/cli.js, what `npm install` builds), as a crew would, through a first sync and a push, and prints the
 * peak memory of each process as JSON. Runs inside scripts/with-keychain.js (account and hub
 * secrets go to a private keychain).
 *   node --import tsx tests/bench/cli-memory-worker.ts <simulator URL> <hub login URL> <password> <partner id>
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { demoRunSignUpCredential } from '../../src-main/simulators/runsignup.ts';
import { maxRequestsPerHour } from '../../src-main/core/providers/request-allowance.ts';

const [simulatorUrl, hubUrl, hubPassword, partnerId] = process.argv.slice(2);
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'racedesk-bench-cli-memory-'));
const rssFile = join(dir, 'peak-rss');
const env = { ...process.env, RACEDESK_KEYCHAIN_SERVICE: `racedesk-bench-${randomUUID()}`, RACEDESK_BENCH_PEAK_RSS_FILE: rssFile };

/** Runs `racedesk args` to completion; returns its peak RSS in MB. */
function racedesk(args: string[], input = ''): number {
  const preload = pathToFileURL(join(root, 'tests', 'bench', 'peak-rss.mjs')).href;
  execFileSync(process.execPath, ['--import', preload, join(root, 'out', 'main', 'cli.js'), '--data-dir', join(dir, 'data'), ...args], {
    env,
    input,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  return Number(readFileSync(rssFile, 'utf8')) / 1024;
}

try {
  const startMb = racedesk(['--help']);
  racedesk(['partner', 'set', '--id', partnerId, '--name', 'Bench Timing']);
  racedesk(['account', 'add', 'runsignup', '--label', 'bench', '--base-url', simulatorUrl], JSON.stringify(demoRunSignUpCredential));
  // The pipeline's own memory, not the pacing of a real provider's allowance.
  racedesk(['providers', 'set-limit', 'runsignup', String(maxRequestsPerHour)]);
  const syncMb = racedesk(['sync', 'runsignup', '--account', 'bench']);
  racedesk(['hub', 'set', '--url', hubUrl], hubPassword);
  const pushMb = racedesk(['push']);
  process.stdout.write(`${JSON.stringify({ startMb, syncMb, pushMb })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
