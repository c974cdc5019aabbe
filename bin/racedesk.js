#!/usr/bin/env node
// The `racedesk` command: runs the compiled CLI, out/main/cli.js (built by `npm install` and
// `npm test` through electron-vite build). In a source checkout whose src-main changed since that
// build, it runs the sources through tsx instead (slower to start), so `npx racedesk` or a test
// right after an edit never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const built = join(root, 'out', 'main', 'cli.js');
const sources = join(root, 'src-main');

if (existsSync(built) && !(existsSync(sources) && changedSince(sources, statSync(built).mtimeMs))) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/cli/entry.ts');
}

function changedSince(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}
