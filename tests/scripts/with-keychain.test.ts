import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/*
 * The private keychain session the tests run in. Its daemon was once lost mid-suite and the bus
 * brought back a locked one, failing every keychain test after it; the session must survive that.
 */
const root = join(import.meta.dirname, '../..');
const keyring = join(root, 'node_modules/@napi-rs/keyring/index.js');

// Stores a secret, kills this session's own gnome-keyring-daemon (found by its private runtime
// folder), then reads the secret back and stores another: both through a daemon the bus restarted.
const script = `
const { AsyncEntry } = require(${JSON.stringify(keyring)});
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const daemons = () => execFileSync('pgrep', ['-x', 'gnome-keyring-d'], { encoding: 'utf8' }).split('\\n').filter(Boolean)
  .filter((pid) => { try { return readFileSync('/proc/' + pid + '/environ', 'utf8').split('\\0').includes('XDG_RUNTIME_DIR=' + process.env.XDG_RUNTIME_DIR); } catch { return false; } });
(async () => {
  await new AsyncEntry('racedesk-harness', 'first').setPassword('one');
  const [first] = daemons();
  process.kill(Number(first), 'SIGKILL');
  while (daemons().includes(first)) await new Promise((resolve) => setImmediate(resolve));
  const readBack = await new AsyncEntry('racedesk-harness', 'first').getPassword();
  await new AsyncEntry('racedesk-harness', 'second').setPassword('two');
  console.log(JSON.stringify({ killed: first, now: daemons(), readBack, second: await new AsyncEntry('racedesk-harness', 'second').getPassword() }));
})().catch((error) => { console.error(error.message); process.exit(1); });
`;

describe.runIf(process.platform === 'linux')('scripts/with-keychain.js', () => {
  it('keeps the keychain unlocked when its daemon is lost: the bus starts an unlocked one with the same entries', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.RACEDESK_KEYCHAIN_READY; // a session of its own, inside the one this test runs in
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'scripts/with-keychain.js'), process.execPath, '-e', script], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.stderr).not.toMatch(/prompt/i);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { killed: string; now: string[]; readBack: string; second: string };
    expect(result.now).toHaveLength(1);
    expect(result.now).not.toContain(result.killed);
    expect(result).toMatchObject({ readBack: 'one', second: 'two' });
  });
});
