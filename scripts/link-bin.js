#!/usr/bin/env node
// npm links the bins of dependencies into node_modules/.bin, but not the project's own; link
// `racedesk` there too, so `npx racedesk` works right after `npm install` in this folder.
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
