import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const importsElectron = /(?:from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe('architecture', () => {
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
