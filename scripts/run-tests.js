#!/usr/bin/env node
// `npm test`: builds the app (the UI tests serve the built renderer), type-checks and lints the tree,
// then runs every test inside a private Secret Service session, and ends with one "N passed, N
// failed" line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (run('npx', ['electron-vite', 'build']) !== 0) {
  console.error('npm test: the build failed');
  process.exit(1);
}
// The type check (node, web and test code each against its own libraries) and the linter come
// first: a failure there is named before the long suite starts.
for (const script of ['typecheck', 'lint']) {
  if (run('npm', ['run', '--silent', script]) !== 0) {
    console.error(`npm test: \`npm run ${script}\` failed (see above)`);
    process.exit(1);
  }
}

const reportDir = mkdtempSync(join(tmpdir(), 'racedesk-report-'));
const report = join(reportDir, 'vitest.json');
const status = run('node', [
  'scripts/with-keychain.js',
  'npx',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
try {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`\ntests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped`);
  if (summary.numTotalTests === 0) {
    console.error('npm test: no test ran');
    process.exit(1);
  }
} catch {
  console.error('npm test: vitest wrote no report');
  process.exit(status === 0 ? 1 : status);
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
process.exit(status);
