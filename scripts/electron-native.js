#!/usr/bin/env node
// `npm run rebuild:electron [-- --arch x64|arm64]`: builds better-sqlite3 for Electron's ABI into
// native/electron/<arch>/better_sqlite3.node, which the desktop app loads (better-sqlite3's
// nativeBinding option). node_modules keeps its build for Node, so the CLI and the tests go on
// working. Fetches Electron's headers (or a prebuilt binary) from the internet, so it is never
// part of `npm install` or `npm test`; `npm start` and `npm run dist` run it. Skips the work when
// the binary for this Electron and better-sqlite3 version is already there.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const arch = valueOf('--arch') ?? process.arch;
const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const wanted = { electron: versionOf('electron'), betterSqlite3: versionOf('better-sqlite3'), platform: process.platform, arch };

const outDir = join(root, 'native', 'electron', arch);
const binding = join(outDir, 'better_sqlite3.node');
const stamp = join(outDir, 'build-info.json');
if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(wanted)) {
  console.error(`better-sqlite3 for Electron ${wanted.electron} (${arch}) is up to date: ${binding}`);
  process.exit(0);
}

// A private copy of the package inside the project (so prebuild-install and node-gyp resolve
// from our node_modules), rebuilt there: the Node build in node_modules is never touched.
const work = join(root, 'native', '.work', arch);
rmSync(work, { recursive: true, force: true });
const copy = join(work, 'node_modules', 'better-sqlite3');
cpSync(join(root, 'node_modules', 'better-sqlite3'), copy, { recursive: true, filter: (path) => !path.includes(`${join('better-sqlite3', 'build')}`) });
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'racedesk-electron-native', private: true, dependencies: { 'better-sqlite3': wanted.betterSqlite3 } }));

console.error(`building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (${process.platform}-${arch})`);
const { rebuild } = await import('@electron/rebuild');
try {
  await rebuild({ buildPath: work, electronVersion: wanted.electron, arch, onlyModules: ['better-sqlite3'], force: true });
} catch (error) {
  console.error(
    `rebuild:electron: ${error instanceof Error ? error.message : error}\n` +
      "It needs Electron's headers or a prebuilt binary from the internet (electronjs.org, github.com), and a C++ toolchain " +
      'for a build from source (see node-gyp). Run it on a machine with both; the Node build in node_modules is unchanged.',
  );
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
cpSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), binding);
writeFileSync(stamp, JSON.stringify(wanted));
rmSync(work, { recursive: true, force: true });
console.error(`wrote ${binding}`);

function valueOf(flag) {
  const index = process.argv.indexOf(flag);
  if (index !== -1) return process.argv[index + 1];
  return process.argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}
