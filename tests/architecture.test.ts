import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const importsElectron = /(?:from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

// Every static, dynamic and re-export specifier, with whether the statement is type-only (erased at build).
const importStatement = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function relativeImports(file: string, text: string): Edge[] {
  return [...text.matchAll(importStatement)]
    .map((m) => ({ spec: m[3] ?? m[4], typeOnly: Boolean(m[2]) }))
    .filter(({ spec }) => spec.startsWith('.'))
    .map(({ spec, typeOnly }) => ({ from: file, to: relative(root, resolve(dirname(join(root, file)), spec)), typeOnly }));
}

function importsUnder(dir: string): Edge[] {
  return sourceFiles(join(root, dir))
    .map((file) => relative(root, file))
    .flatMap((file) => relativeImports(file, readFileSync(join(root, file), 'utf8')));
}

/** A module without a single import (no Node, no package): its code may run in the renderer too. */
const importsNothing = (file: string) => [...readFileSync(join(root, file), 'utf8').matchAll(importStatement)].length === 0;

const shells = ['src-main/cli/', 'src-main/electron/', 'src-main/station/', 'src-main/core-host/', 'src-preload/'];
/** Fakes of the providers' services, their synthetic races and the demo: loaded by `simulate`, `demo` and tests only. */
const testOnlyLayers = ['src-main/simulators/', 'src-main/datasets/', 'src-main/demo/'];

describe('architecture', () => {
  it('the core never imports a shell', () => {
    const offenders = importsUnder('src-main/core').filter((edge) => shells.some((shell) => edge.to.startsWith(shell)));
    expect(offenders).toEqual([]);
  });

  it('the core never imports the simulators, their datasets or the demo', () => {
    const offenders = importsUnder('src-main/core').filter((edge) => testOnlyLayers.some((layer) => edge.to.startsWith(layer)));
    expect(offenders).toEqual([]);
  });

  it('only `racedesk simulate` and `racedesk demo` load the simulators, datasets and demo', () => {
    const outside = ['src-main', 'src-preload']
      .flatMap((dir) => importsUnder(dir))
      .filter((edge) => !testOnlyLayers.some((layer) => edge.from.startsWith(layer)))
      .filter((edge) => testOnlyLayers.some((layer) => edge.to.startsWith(layer)));
    // The two commands do import them, so an empty list would mean the rule saw nothing.
    expect([...new Set(outside.map((edge) => edge.from))].sort()).toEqual(['src-main/cli/commands/demo.ts', 'src-main/cli/commands/simulate.ts']);
  });

  it('the store never imports the hub', () => {
    const edges = importsUnder('src-main/core/store');
    // The store imports its own modules, so an empty list would mean the rule saw nothing.
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.filter((edge) => edge.to.startsWith('src-main/core/hub/'))).toEqual([]);
  });

  it('the renderer takes from the main side only types and modules that import nothing', () => {
    const mainSide = importsUnder('src-renderer').filter(
      (edge) => edge.to.startsWith('src-main/') || edge.to.startsWith('src-preload/'),
    );
    // The API client's types come across, so an empty list would mean the rule saw nothing.
    expect(mainSide.length).toBeGreaterThan(0);
    // store/sql-fold.ts is one: a joined device folds names for its offline lookups exactly as the core does.
    expect(mainSide.filter((edge) => !edge.typeOnly && !importsNothing(edge.to))).toEqual([]);
  });

  it('the import rule sees value, type-only, dynamic and re-export imports', () => {
    const file = 'src-main/core/x.ts';
    const text = [
      `import { a } from '../cli/main.ts';`,
      `import type { B } from '../station/server.ts';`,
      `export { c } from './c.ts';`,
      `const d = await import('../electron/main.ts');`,
      `import e from 'zod';`,
    ].join('\n');
    expect(relativeImports(file, text)).toEqual([
      { from: file, to: 'src-main/cli/main.ts', typeOnly: false },
      { from: file, to: 'src-main/station/server.ts', typeOnly: true },
      { from: file, to: 'src-main/core/c.ts', typeOnly: false },
      { from: file, to: 'src-main/electron/main.ts', typeOnly: false },
    ]);
  });

  it('only the Electron shell and the preload import electron', () => {
    const allowed = (file: string) => file.startsWith('src-main/electron/') || file.startsWith('src-preload/');
    const offenders = ['src-main', 'src-renderer', 'src-preload', 'bin', 'scripts']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .map((file) => relative(root, file))
      .filter((file) => importsElectron.test(readFileSync(join(root, file), 'utf8')) && !allowed(file));
    expect(offenders).toEqual([]);
  });

  it('the rule itself catches an electron import', () => {
    expect(importsElectron.test(`import { app } from 'electron';`)).toBe(true);
    expect(importsElectron.test(`const { app } = require("electron")`)).toBe(true);
    expect(importsElectron.test(`import Store from 'electron-store';`)).toBe(false);
  });
});
