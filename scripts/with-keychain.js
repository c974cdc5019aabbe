#!/usr/bin/env node
// Runs a command inside a private Secret Service session (dbus + gnome-keyring, unlocked), so the
// keychain tests use the real OS keychain on a headless machine and never touch the user's own.
//   node scripts/with-keychain.js <command> [args...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-keychain.js <command> [args...]');
  process.exit(2);
}

if (process.platform !== 'linux' || process.env.RACEDESK_KEYCHAIN_READY === '1') {
  const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`The keychain tests need ${tool}. Install it with: sudo apt-get install -y gnome-keyring dbus`);
    process.exit(1);
  }
}

const home = mkdtempSync(join(tmpdir(), 'racedesk-keyring-'));
const env = {
  ...process.env,
  XDG_DATA_HOME: join(home, 'data'),
  XDG_RUNTIME_DIR: join(home, 'run'),
  RACEDESK_KEYCHAIN_READY: '1',
};
mkdirSync(env.XDG_DATA_HOME, { recursive: true });
mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
const script = [
  'eval "$(printf racedesk | gnome-keyring-daemon --daemonize --unlock --components=secrets)"',
  'export GNOME_KEYRING_CONTROL',
  'exec "$@"',
].join('\n');
const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...command], { stdio: 'inherit', env });
rmSync(home, { recursive: true, force: true });
process.exit(result.status ?? 1);
