#!/usr/bin/env node
// Makes `npx racedesk` work right after `npm install` in this folder. npm 11 would run a root
// package's own "bin" by first installing the project into its npx cache, which fails for an
// application like this one; a plain node_modules/.bin/racedesk link is what npx finds instead.
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'bin', 'racedesk.js');
mkdirSync(binDir, { recursive: true });
const link = join(binDir, 'racedesk');
rmSync(link, { force: true });
if (process.platform === 'win32') {
  writeFileSync(`${link}.cmd`, `@node "${target}" %*\r\n`);
} else {
  symlinkSync(relative(binDir, target), link);
  chmodSync(target, 0o755);
}
