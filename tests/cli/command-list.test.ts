import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandOf } from '../../src-main/cli/command-list.ts';

const root = join(import.meta.dirname, '../..');

describe('commandOf', () => {
  it('finds the command past global options, and the one `help` names', () => {
    expect(commandOf(['--data-dir', 'sync', 'status'])).toBe('status');
    expect(commandOf(['--json', 'lookup', 'pena'])).toBe('lookup');
    expect(commandOf(['help', 'results'])).toBe('results');
    expect(commandOf(['--help'])).toBeNull();
    expect(commandOf(['help'])).toBeNull();
    expect(commandOf(['nosuch', 'status'])).toBeNull();
    expect(commandOf(['toString'])).toBeNull();
  });
});

describe('the compiled CLI (out/main/cli.js)', () => {
  it('answers --help with commander alone, and loads the core only for a command that needs it', () => {
    expect(existsSync(join(root, 'out/main/cli.js')), 'run `npx electron-vite build` first').toBe(true);
    // A copy of the build beside a node_modules that holds commander and nothing else.
    const dir = mkdtempSync(join(tmpdir(), 'racedesk-lazy-cli-'));
    try {
      cpSync(join(root, 'out/main'), join(dir, 'out/main'), { recursive: true });
      cpSync(join(root, 'package.json'), join(dir, 'package.json'));
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(join(root, 'node_modules/commander'), join(dir, 'node_modules/commander'), 'junction');
      const run = (...args: string[]) => spawnSync(process.execPath, [join(dir, 'out/main/cli.js'), ...args], { encoding: 'utf8' });

      const help = run('--help');
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain('lookup <query>');
      expect(help.stdout).toContain('find runners by bib');

      const unknown = run('nosuch');
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain("unknown command 'nosuch'");

      const lookup = run('lookup', '--help');
      expect(lookup.status).toBe(1);
      expect(lookup.stderr).toMatch(/Cannot find (package|module) '(zod|better-sqlite3|conf|@napi-rs\/keyring|pg)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
