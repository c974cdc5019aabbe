#!/usr/bin/env node
// Runs a command inside a private Secret Service session (dbus + gnome-keyring, unlocked), so the
// keychain tests use the real OS keychain on a headless machine and never touch the user's own.
//   node scripts/with-keychain.js <command> [args...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const dirs = { data: join(home, 'data'), run: join(home, 'run'), services: join(home, 'services') };
mkdirSync(dirs.data);
mkdirSync(dirs.run, { mode: 0o700 });
mkdirSync(dirs.services);

// The session bus starts the keyring itself, on the first call and again whenever the daemon is
// gone, always unlocked with this session's password. A daemon started once by hand and later
// lost (it happened mid-suite) was restarted by the bus's default service file *locked*, and from
// then on every keychain call waited for an unlock prompt that a headless machine cannot show.
const daemon = `printf racedesk | exec "$(command -v gnome-keyring-daemon)" --foreground --unlock --components=secrets`;
writeFileSync(
  join(dirs.services, 'org.freedesktop.secrets.service'),
  `[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sh -c '${daemon}'\n`,
);
// Only this folder's services: the system's own file for the same name must not win.
writeFileSync(
  join(home, 'session.conf'),
  `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=${dirs.run}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${dirs.services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
);

const env = { ...process.env, XDG_DATA_HOME: dirs.data, XDG_RUNTIME_DIR: dirs.run, RACEDESK_KEYCHAIN_READY: '1' };
const result = spawnSync('dbus-run-session', [`--config-file=${join(home, 'session.conf')}`, '--', ...command], { stdio: 'inherit', env });
rmSync(home, { recursive: true, force: true });
process.exit(result.status ?? 1);
